//! Pagination, per style, through the generated `Paginated` impls: the next request from the
//! last request and response, the stop conditions (no token, a repeated token, an empty page,
//! the total count reached, a short page), a last page that is exactly full, TCR's
//! offset-as-page-number quirk, and the iterator adapter over a user's `send` closure; a server
//! going round and the page cap, which end a list with an error; cursors at the ends of their
//! types, through the four providers and through a spec with `long` cursors.

use crspec::runtime::wire::{
    DEFAULT_MAX_PAGES, PagesError, Paginated, Paginator, PagingError, pages,
};

// The four providers' cursors are `integer` (i32); this spec's are `long` (i64).
crspec_macros::include_spec!("tests/data/long_cursor.yaml");

mod token {
    use super::*;
    use crspec::ecr::{DescribeImagesRequest, DescribeImagesResponse, ImageDetail};

    fn page(n: usize, token: Option<&str>) -> DescribeImagesResponse {
        let details = (0..n).map(|i| {
            ImageDetail::builder()
                .image_digest(format!("sha256:{i:02}"))
                .build()
        });
        let page = DescribeImagesResponse::builder().image_details(details);
        match token {
            Some(token) => page.next_token(token).build(),
            None => page.build(),
        }
    }

    fn first() -> DescribeImagesRequest {
        DescribeImagesRequest::builder()
            .repository_name("app")
            .max_results(2)
            .build()
            .unwrap()
    }

    #[test]
    fn the_next_request_carries_the_token_and_keeps_the_rest() {
        let next = first().next_page(&page(2, Some("t1"))).unwrap();
        assert_eq!(next.next_token.as_deref(), Some("t1"));
        assert_eq!(next.max_results, Some(2));
        assert_eq!(next.repository_name, "app");
    }

    #[test]
    fn no_token_an_empty_token_or_a_repeated_token_stop() {
        assert!(first().next_page(&page(2, None)).is_none());
        assert!(first().next_page(&page(2, Some(""))).is_none());
        let second = first().next_page(&page(2, Some("t1"))).unwrap();
        assert!(second.next_page(&page(2, Some("t1"))).is_none());
        assert!(
            first()
                .next_page(&DescribeImagesResponse::default())
                .is_none()
        );
    }

    #[test]
    fn an_empty_page_with_a_token_is_not_the_last() {
        // Servers send empty pages with a token (a filter that matched nothing on this page);
        // botocore's paginator reads on, and so does crspec.
        let next = first().next_page(&page(0, Some("t1"))).unwrap();
        assert_eq!(next.next_token.as_deref(), Some("t1"));
        let after = next.next_page(&page(0, Some("t2"))).unwrap();
        assert_eq!(after.next_token.as_deref(), Some("t2"));
    }

    #[test]
    fn the_iterator_pages_through_a_fake_server() {
        // Five images, two a page: tokens "2" and "4", then the end.
        let mut sent = Vec::new();
        let all: Vec<DescribeImagesResponse> = pages(first(), |request: &DescribeImagesRequest| {
            sent.push(request.next_token.clone());
            let start: usize = request
                .next_token
                .as_deref()
                .map_or(0, |t| t.parse().unwrap());
            let end = (start + 2).min(5);
            let token = (end < 5).then(|| end.to_string());
            Ok::<_, String>(page(end - start, token.as_deref()))
        })
        .collect::<Result<_, _>>()
        .unwrap();
        assert_eq!(sent, [None, Some("2".into()), Some("4".into())]);
        let counts: Vec<usize> = all
            .iter()
            .map(|p| p.image_details.as_ref().unwrap().len())
            .collect();
        assert_eq!(counts, [2, 2, 1]);
    }

    #[test]
    fn the_iterator_stops_after_an_error() {
        let mut calls = 0;
        let results: Vec<Result<DescribeImagesResponse, PagesError<&str>>> = pages(first(), |_| {
            calls += 1;
            if calls == 1 {
                Ok(page(2, Some("t")))
            } else {
                Err("throttled")
            }
        })
        .collect();
        assert_eq!(results.len(), 2);
        assert_eq!(results[1], Err(PagesError::Send("throttled")));
    }

    /// A server that answers the request with token `t` with the token `next(t)`.
    fn server(
        next: fn(Option<&str>) -> Option<String>,
    ) -> impl FnMut(&DescribeImagesRequest) -> Result<DescribeImagesResponse, String> {
        move |request| Ok(page(1, next(request.next_token.as_deref()).as_deref()))
    }

    /// Tokens `0, 1, 2, …`: a list without end.
    fn counting(token: Option<&str>) -> Option<String> {
        let n: u64 = token.map_or(0, |t| t.parse::<u64>().unwrap() + 1);
        Some(n.to_string())
    }

    #[test]
    fn a_server_going_round_ends_the_list_with_an_error_after_the_page_that_leads_back() {
        // None, then a, b, a, b, …: the answer to `b` leads back to `a`, sent before.
        let mut sent = Vec::new();
        let mut going_round = server(|token| match token {
            None | Some("b") => Some("a".into()),
            Some(_) => Some("b".into()),
        });
        let results: Vec<_> = pages(first(), |request: &DescribeImagesRequest| {
            sent.push(request.next_token.clone());
            going_round(request)
        })
        .take(10)
        .collect();
        assert_eq!(sent, [None, Some("a".into()), Some("b".into())]);
        assert_eq!(results.len(), 4, "{results:?}");
        assert!(results[..3].iter().all(Result::is_ok));
        assert_eq!(
            results[3],
            Err(PagesError::Paging(PagingError::RepeatedCursor { page: 3 }))
        );

        // Sans IO, a longer round that does not pass through the first request: a, b, c, b.
        let mut paginator = Paginator::new(first());
        for token in ["a", "b", "c"] {
            assert!(paginator.advance(&page(1, Some(token))).is_ok());
        }
        assert_eq!(
            paginator.next_request().unwrap().next_token.as_deref(),
            Some("c")
        );
        assert_eq!(
            paginator.advance(&page(1, Some("b"))),
            Err(PagingError::RepeatedCursor { page: 4 })
        );
        assert!(paginator.next_request().is_none());
        assert_eq!(
            paginator.advance(&page(1, Some("d"))),
            Ok(()),
            "nothing to answer"
        );

        // The request's own token again is the last page, as before: no error.
        let mut paginator = Paginator::new(first());
        assert_eq!(paginator.advance(&page(1, Some("a"))), Ok(()));
        assert_eq!(paginator.advance(&page(1, Some("a"))), Ok(()));
        assert!(paginator.next_request().is_none());
    }

    #[test]
    fn the_page_cap_ends_a_longer_list_with_an_error_and_a_list_that_fits_without() {
        let results: Vec<_> = pages(first(), server(counting)).with_max_pages(5).collect();
        assert_eq!(results.len(), 6, "{results:?}");
        assert!(results[..5].iter().all(Result::is_ok));
        assert_eq!(
            results[5],
            Err(PagesError::Paging(PagingError::TooManyPages { max: 5 }))
        );

        // Five pages exactly: the cap's last page is the list's, without an error.
        let five = server(|token| counting(token).filter(|t| t != "4"));
        let results: Vec<_> = pages(first(), five).with_max_pages(5).collect();
        assert_eq!(results.len(), 5, "{results:?}");
        assert!(results.iter().all(Result::is_ok));

        // 0 counts as 1: the first request is always sent.
        let results: Vec<_> = pages(first(), server(counting)).with_max_pages(0).collect();
        assert_eq!(results.len(), 2);
        assert_eq!(
            results[1],
            Err(PagesError::Paging(PagingError::TooManyPages { max: 1 }))
        );

        // Without a cap of its own, an endless list ends after the default one.
        let (count, last) = pages(first(), server(counting))
            .fold((0, None), |(count, _), result| (count + 1, Some(result)));
        assert_eq!(count, DEFAULT_MAX_PAGES + 1);
        assert_eq!(
            last,
            Some(Err(PagesError::Paging(PagingError::TooManyPages {
                max: DEFAULT_MAX_PAGES
            })))
        );
    }
}

mod page_number {
    use super::*;
    use crspec::jdcloud::{DescribeImagesRequest, DescribeImagesResult, ImageDetail};

    fn page(n: usize, total: Option<i64>) -> DescribeImagesResult {
        let page = DescribeImagesResult::builder().image_details(vec![ImageDetail::default(); n]);
        match total {
            Some(total) => page.total_count(total).build(),
            None => page.build(),
        }
    }

    fn request(page_size: Option<i32>) -> DescribeImagesRequest {
        let builder = DescribeImagesRequest::builder().region_id("cn-north-1");
        match page_size {
            Some(size) => builder.page_size(size),
            None => builder,
        }
        .build()
        .unwrap()
    }

    /// The page numbers a paginator asks for, against a server with `total` items.
    fn walk(first: DescribeImagesRequest, total: usize, report_total: bool) -> Vec<i32> {
        let size = usize::try_from(first.page_size.unwrap_or(20)).unwrap();
        let mut paginator = Paginator::new(first);
        let mut asked = Vec::new();
        while let Some(request) = paginator.next_request() {
            let number = request.page_number.unwrap_or(1);
            asked.push(number);
            let start = (usize::try_from(number).unwrap() - 1) * size;
            let n = total.saturating_sub(start).min(size);
            let total = report_total.then(|| i64::try_from(total).unwrap());
            paginator.advance(&page(n, total)).unwrap();
            assert!(asked.len() < 100, "runaway pagination: {asked:?}");
        }
        asked
    }

    #[test]
    fn pages_count_from_the_default_first_page() {
        let next = request(Some(10)).next_page(&page(10, Some(45))).unwrap();
        assert_eq!(next.page_number, Some(2));
        assert_eq!(next.page_size, Some(10));
        assert_eq!(walk(request(Some(10)), 45, true), [1, 2, 3, 4, 5]);
    }

    #[test]
    fn an_exactly_full_last_page_ends_on_the_total_without_another_request() {
        assert_eq!(walk(request(Some(10)), 40, true), [1, 2, 3, 4]);
        // The default page size (20) counts when none is set.
        assert_eq!(walk(request(None), 40, true), [1, 2]);
    }

    #[test]
    fn without_a_total_a_short_or_empty_page_ends_the_list() {
        assert_eq!(walk(request(Some(10)), 35, false), [1, 2, 3, 4]);
        // Exactly full: one more request, which comes back empty.
        assert_eq!(walk(request(Some(10)), 40, false), [1, 2, 3, 4, 5]);
        assert_eq!(walk(request(Some(10)), 0, true), [1]);
    }

    #[test]
    fn a_page_number_past_the_range_of_its_member_ends_the_list() {
        // `page_number` is an i32: its extremes cannot overflow the i64 arithmetic, but the next
        // number must fit the member.
        let mut last = request(Some(10));
        last.page_number = Some(i32::MAX);
        assert!(last.next_page(&page(10, None)).is_none());
        last.page_number = Some(i32::MAX - 1);
        let next = last.next_page(&page(10, None)).unwrap();
        assert_eq!(next.page_number, Some(i32::MAX));
    }
}

mod offset_as_page {
    use super::*;
    use crspec::tcr::{DescribeImagesRequest, DescribeImagesResponse, TcrImageInfo};

    fn request(offset: Option<i64>) -> DescribeImagesRequest {
        let builder = DescribeImagesRequest::builder()
            .registry_id("tcr-1")
            .namespace_name("ns")
            .repository_name("repo")
            .limit(20);
        match offset {
            Some(o) => builder.offset(o),
            None => builder,
        }
        .build()
        .unwrap()
    }

    fn page(n: usize, total: i64) -> DescribeImagesResponse {
        let info = TcrImageInfo::builder()
            .digest("sha256:01")
            .size(1)
            .image_version("v")
            .update_time(String::from("2022-08-06T07:31:01Z").into())
            .build()
            .unwrap();
        DescribeImagesResponse::builder()
            .image_info_list(vec![info; n])
            .total_count(total)
            .request_id("r")
            .build()
            .unwrap()
    }

    #[test]
    fn offset_counts_pages_from_one_not_items() {
        // Limit 20, Offset 1 is items 1-20; the next page is Offset 2 (items 21-40), not 21.
        let next = request(None).next_page(&page(20, 50)).unwrap();
        assert_eq!(next.offset, Some(2));
        let next = next.next_page(&page(20, 50)).unwrap();
        assert_eq!(next.offset, Some(3));
        assert!(next.next_page(&page(10, 50)).is_none());
    }

    #[test]
    fn a_full_last_page_and_an_empty_page_stop() {
        assert!(request(Some(2)).next_page(&page(20, 40)).is_none());
        assert!(request(Some(1)).next_page(&page(0, 40)).is_none());
        assert!(request(Some(1)).next_page(&page(20, 20)).is_none());
    }
}

mod long_cursors {
    use super::long_cursor::{ByOffsetRequest, ByPageRequest, Item, ItemsResponse};
    use super::*;

    fn page(n: usize, total: Option<i64>) -> ItemsResponse {
        ItemsResponse {
            items: vec![Item::default(); n],
            total,
        }
    }

    #[test]
    fn a_page_number_at_the_ends_of_i64_ends_the_list_instead_of_overflowing() {
        let at = |page, size| ByPageRequest {
            page: Some(page),
            size: Some(size),
        };
        assert_eq!(at(1, 10).next_page(&page(10, None)).unwrap().page, Some(2));
        assert_eq!(
            at(i64::MAX - 1, 1).next_page(&page(1, None)).unwrap().page,
            Some(i64::MAX)
        );
        for (number, size, why) in [
            (i64::MIN, 10, "page - first is below i64::MIN"),
            (i64::MIN + 1, 10, "(page - first) * size is below i64::MIN"),
            (
                i64::MAX / 10 + 2,
                10,
                "(page - first) * size is above i64::MAX",
            ),
            (i64::MAX, 1, "page + 1 is above i64::MAX"),
        ] {
            let full = page(usize::try_from(size).unwrap(), None);
            assert_eq!(at(number, size).next_page(&full), None, "{why}");
        }
    }

    #[test]
    fn an_offset_at_the_ends_of_i64_ends_the_list_instead_of_overflowing() {
        let at = |offset| ByOffsetRequest {
            offset: Some(offset),
            size: Some(10),
        };
        assert_eq!(
            at(1).next_page(&page(10, Some(100))).unwrap().offset,
            Some(11)
        );
        assert_eq!(at(91).next_page(&page(10, Some(100))), None, "the total");
        for (offset, why) in [
            (i64::MIN, "offset - first is below i64::MIN"),
            (i64::MAX - 5, "offset - first + items is above i64::MAX"),
        ] {
            assert_eq!(
                at(offset).next_page(&page(10, Some(i64::MAX))),
                None,
                "{why}"
            );
        }
        assert_eq!(
            at(i64::MAX - 9).next_page(&page(10, None)),
            None,
            "offset + items is above i64::MAX"
        );
    }
}

mod marker_over_strings {
    use crspec::runtime::wire::Paginated;

    use super::long_cursor::{ByMarkerRequest, NamesResponse};

    fn page(names: &[&str]) -> NamesResponse {
        NamesResponse {
            names: Some(names.iter().map(ToString::to_string).collect()),
        }
    }

    #[test]
    fn the_last_item_is_the_next_marker_and_a_short_or_empty_page_ends() {
        let first = ByMarkerRequest::builder().n(2).build().unwrap();
        let next = first.next_page(&page(&["a", "b"])).expect("a full page");
        assert_eq!(next.last.as_deref(), Some("b"));
        assert_eq!(next.n, Some(2));
        // A short page, an empty one, or one that ends on the marker it was asked from: the end.
        assert!(next.next_page(&page(&["c"])).is_none());
        assert!(next.next_page(&page(&[])).is_none());
        assert!(next.next_page(&page(&["a", "b"])).is_none());
        // Without a page size, only an empty page (or the same marker) ends the list.
        let unsized_first = ByMarkerRequest::builder().build().unwrap();
        let then = unsized_first.next_page(&page(&["x"])).expect("a page");
        assert_eq!(then.last.as_deref(), Some("x"));
        assert!(then.next_page(&page(&[])).is_none());
    }
}

mod payload_and_headers {
    use crspec::runtime::http;
    use crspec::runtime::wire::{Paginated, ResponseError};

    use super::long_cursor::{Names, NamesRequest};

    fn response(body: &str, link: Option<&str>) -> http::Response<Vec<u8>> {
        let mut builder = http::Response::builder()
            .status(200)
            .header("X-Total-Count", "3");
        if let Some(link) = link {
            builder = builder.header("Link", link);
        }
        builder.body(body.as_bytes().to_vec()).unwrap()
    }

    #[test]
    fn a_bare_array_body_is_the_payload_member_and_its_link_the_next_page() {
        let page = Names::parse_response(&response(
            r#"["a", "b"]"#,
            Some(r#"</names?after=b>; rel="next""#),
        ))
        .unwrap()
        .output;
        assert_eq!(
            page.names.as_deref(),
            Some(&["a".to_owned(), "b".to_owned()][..])
        );
        assert_eq!(page.count, Some(3));
        let first = NamesRequest::builder().build().unwrap();
        let next = first.next_page(&page).expect("a next page");
        assert_eq!(next.after.as_deref(), Some("b"));

        let last = Names::parse_response(&response(r#"["c"]"#, None))
            .unwrap()
            .output;
        assert_eq!(last.names.as_deref(), Some(&["c".to_owned()][..]));
        assert!(next.next_page(&last).is_none());
    }

    #[test]
    fn a_payload_of_the_wrong_shape_is_a_decode_error_with_its_path() {
        let error = Names::parse_response(&response(r#"["a", 7]"#, None)).unwrap_err();
        match error {
            ResponseError::Decode(e) => assert_eq!(e.path, "names[1]", "{e}"),
            other => panic!("{other:?}"),
        }
        let error = Names::parse_response(&response(r#"{"names": []}"#, None)).unwrap_err();
        assert!(matches!(error, ResponseError::Decode(_)), "{error:?}");
        // An empty body: no payload, the headers still read.
        let empty = Names::parse_response(&response("", None)).unwrap().output;
        assert_eq!((empty.names, empty.count), (None, Some(3)));
    }
}
