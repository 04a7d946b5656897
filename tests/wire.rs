//! The wire, for all four providers: the exact HTTP request each one expects, and each kind of
//! response (success, documented error, unknown error, malformed body) turned into a typed value,
//! from recorded responses built from the seeds' examples and documented error formats; the
//! limits on a body, and the duplicate-key policy, the same for every provider.

use crspec::runtime::http;
use crspec::runtime::wire::{Endpoint, RequestError, ResponseError};
use serde_json::{Value, json};

fn response(status: u16, headers: &[(&str, &str)], body: &str) -> http::Response<Vec<u8>> {
    let mut builder = http::Response::builder().status(status);
    for (name, value) in headers {
        builder = builder.header(*name, *value);
    }
    builder.body(body.as_bytes().to_vec()).unwrap()
}

fn header<'a>(request: &'a http::Request<Vec<u8>>, name: &str) -> &'a str {
    request
        .headers()
        .get(name)
        .unwrap_or_else(|| panic!("no header {name}"))
        .to_str()
        .unwrap()
}

fn body_json(request: &http::Request<Vec<u8>>) -> Value {
    serde_json::from_slice(request.body()).unwrap()
}

mod ecr {
    use super::*;
    use crspec::ecr::{
        DescribeImages, DescribeImagesError, DescribeImagesRequest, ImageIdentifier,
    };

    #[test]
    fn request_is_aws_json_1_1() {
        let request = DescribeImagesRequest::builder()
            .registry_id("123456789012")
            .repository_name("team/app")
            .image_ids([ImageIdentifier::builder().image_tag("v1").build().unwrap()])
            .build()
            .unwrap()
            .to_http(&Endpoint::region("eu-west-1"))
            .unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(
            request.uri().to_string(),
            "https://api.ecr.eu-west-1.amazonaws.com/"
        );
        assert_eq!(
            header(&request, "x-amz-target"),
            "AmazonEC2ContainerRegistry_V20150921.DescribeImages"
        );
        assert_eq!(
            header(&request, "content-type"),
            "application/x-amz-json-1.1"
        );
        assert_eq!(
            body_json(&request),
            json!({"registryId": "123456789012", "repositoryName": "team/app",
                   "imageIds": [{"imageTag": "v1"}]})
        );
    }

    #[test]
    fn an_endpoint_url_replaces_the_template() {
        let request = DescribeImagesRequest::builder()
            .repository_name("app")
            .build()
            .unwrap()
            .to_http(&Endpoint::region("us-east-1").with_url("http://127.0.0.1:5000/"))
            .unwrap();
        assert_eq!(request.uri().to_string(), "http://127.0.0.1:5000/");
    }

    #[test]
    fn invalid_requests_and_regions_are_errors() {
        let mut request = DescribeImagesRequest::builder()
            .repository_name("app")
            .build()
            .unwrap();
        request.repository_name = "Not Valid".into();
        let err = request.to_http(&Endpoint::region("us-east-1")).unwrap_err();
        let RequestError::Invalid(violations) = &err else {
            panic!("{err}")
        };
        assert_eq!(violations.violations()[0].path, "repositoryName");
        request.repository_name = "app".into();
        for region in ["", "US-EAST-1", "us-east-1/../x", "a b"] {
            assert_eq!(
                request.to_http(&Endpoint::region(region)).unwrap_err(),
                RequestError::Region(region.into())
            );
        }
    }

    #[test]
    fn a_success_keeps_the_request_id() {
        let reply = DescribeImages::parse_response(&response(
            200,
            &[("x-amzn-RequestId", "req-1")],
            r#"{"imageDetails":[{"imageDigest":"sha256:01","imagePushedAt":1.5}],"nextToken":"t"}"#,
        ))
        .unwrap();
        assert_eq!(reply.request_id.as_deref(), Some("req-1"));
        assert_eq!(reply.output.next_token.as_deref(), Some("t"));
        assert_eq!(reply.output.image_details.unwrap().len(), 1);
    }

    #[test]
    fn errors_come_from_type_with_or_without_namespace() {
        for (ty, message_key) in [
            ("com.amazonaws.ecr#RepositoryNotFoundException", "message"),
            ("RepositoryNotFoundException", "Message"),
            (
                "RepositoryNotFoundException:http://internal.amazon.com/coral/",
                "message",
            ),
        ] {
            let body = json!({"__type": ty, message_key: "no repo"}).to_string();
            let err = DescribeImages::parse_response(&response(
                400,
                &[("x-amzn-RequestId", "req-2")],
                &body,
            ))
            .unwrap_err();
            let ResponseError::Service(DescribeImagesError::RepositoryNotFoundException(d)) = &err
            else {
                panic!("{ty}: {err:?}")
            };
            assert_eq!(d.message.as_deref(), Some("no repo"));
            assert_eq!(d.request_id.as_deref(), Some("req-2"));
        }
        let err = DescribeImages::parse_response(&response(
            503,
            &[],
            r#"{"__type":"ThrottlingException","message":"slow down"}"#,
        ))
        .unwrap_err();
        let ResponseError::Service(error) = err else {
            panic!()
        };
        assert_eq!(error.code(), "ThrottlingException");
        assert_eq!(error.http_status(), Some(503));
        assert_eq!(error.message(), Some("slow down"));
        let err =
            DescribeImages::parse_response(&response(500, &[], r#"{"__type":"ServerException"}"#))
                .unwrap_err();
        assert!(matches!(err, ResponseError::Service(e) if e.is_retryable()));
    }

    #[test]
    fn the_uri_goes_before_the_namespace_so_a_hash_in_it_does_not_count() {
        for (ty, code) in [
            (
                "com.amazonaws.ecr#RepositoryNotFoundException:http://internal.amazon.com/coral/v#x",
                "RepositoryNotFoundException",
            ),
            (
                "ServerException:http://internal.amazon.com/#frag",
                "ServerException",
            ),
            ("ns.a#ns.b#ImageNotFoundException", "ImageNotFoundException"),
        ] {
            let body = json!({"__type": ty}).to_string();
            let err = DescribeImages::parse_response(&response(400, &[], &body)).unwrap_err();
            let ResponseError::Service(e) = err else {
                panic!("{ty}: {err:?}")
            };
            assert_eq!(e.code(), code, "{ty}");
            assert!(!matches!(e, DescribeImagesError::Unknown(_)), "{ty}");
        }
    }

    #[test]
    fn bodies_the_provider_does_not_send_are_decode_errors_with_a_place() {
        let err = DescribeImages::parse_response(&response(
            200,
            &[("x-amzn-RequestId", "r")],
            r#"{"imageDetails":[{"imageDigest":"a"},{"imagePushedAt":"yesterday"}]}"#,
        ))
        .unwrap_err();
        let ResponseError::Decode(e) = err else {
            panic!("{err:?}")
        };
        assert_eq!(e.path, "imageDetails[1].imagePushedAt");
        assert_eq!(e.status, 200);
        assert_eq!(e.request_id.as_deref(), Some("r"));
        assert!(
            e.to_string()
                .starts_with("HTTP 200 response: at `imageDetails[1].imagePushedAt`: "),
            "{e}"
        );

        // An empty 200 is an empty output, as botocore reads it.
        let empty = DescribeImages::parse_response(&response(200, &[], " ")).unwrap();
        assert_eq!(empty.output, Default::default());
        // An error status without a code (a gateway's page, a body without `__type`): the
        // status is the code (botocore's `ClientError` code), with the body's message if any.
        // The message as botocore has it: the body's, a client error's non-JSON body, else the
        // reason phrase.
        for (status, body, message) in [
            (502, "<html>bad gateway</html>", Some("Bad Gateway")),
            (400, r#"{"message":"no type"}"#, Some("no type")),
            (403, "Forbidden by policy", Some("Forbidden by policy")),
            (503, "", Some("Service Unavailable")),
        ] {
            let err = DescribeImages::parse_response(&response(status, &[], body)).unwrap_err();
            let ResponseError::Service(DescribeImagesError::Unknown(e)) = &err else {
                panic!("{body}: {err:?}")
            };
            assert_eq!(e.code, status.to_string());
            assert_eq!(e.http_status, Some(status));
            assert_eq!(e.details.message.as_deref(), message);
        }
        for (status, body, expected) in [
            (200, "<html>busy</html>", "expected a JSON object"),
            (
                400,
                r#"{"__type":7}"#,
                "expected the error code as a string",
            ),
            (
                200,
                r#"{"imageDetails":[]} trailing"#,
                "trailing characters",
            ),
        ] {
            let err = DescribeImages::parse_response(&response(status, &[], body)).unwrap_err();
            let ResponseError::Decode(e) = err else {
                panic!("{body}: {err:?}")
            };
            assert!(e.message.contains(expected), "{body}: {e}");
        }
    }
}

mod ecr_public {
    use super::*;
    use crspec::ecr_public::{DescribeImages, DescribeImagesError, DescribeImagesRequest};

    #[test]
    fn request_targets_the_public_service() {
        let request = DescribeImagesRequest::builder()
            .repository_name("team/app")
            .max_results(5)
            .next_token("tok")
            .build()
            .unwrap()
            .to_http(&Endpoint::region("us-east-1"))
            .unwrap();
        assert_eq!(
            request.uri().to_string(),
            "https://api.ecr-public.us-east-1.amazonaws.com/"
        );
        assert_eq!(
            header(&request, "x-amz-target"),
            "SpencerFrontendService.DescribeImages"
        );
        assert_eq!(
            body_json(&request),
            json!({"repositoryName": "team/app", "maxResults": 5, "nextToken": "tok"})
        );
    }

    #[test]
    fn every_documented_error_code_is_typed() {
        for code in DescribeImagesError::CODES {
            let body = json!({"__type": code, "message": "m"}).to_string();
            let err = DescribeImages::parse_response(&response(400, &[], &body)).unwrap_err();
            let ResponseError::Service(e) = err else {
                panic!("{code}")
            };
            assert_eq!(e.code(), *code);
            assert!(!matches!(e, DescribeImagesError::Unknown(_)), "{code}");
        }
    }
}

mod ecr_public_bodies {
    use super::*;
    use crspec::ecr_public::DescribeImages;

    #[test]
    fn success_and_malformed_bodies() {
        let reply = DescribeImages::parse_response(&response(
            200,
            &[("x-amzn-RequestId", "p1")],
            r#"{"imageDetails":[{"imageDigest":"sha256:01","imageTags":["v1"]}]}"#,
        ))
        .unwrap();
        assert_eq!(reply.request_id.as_deref(), Some("p1"));
        assert_eq!(reply.output.next_token, None);
        let err = DescribeImages::parse_response(&response(
            200,
            &[],
            r#"{"imageDetails":[{"imageTags":"v1"}]}"#,
        ))
        .unwrap_err();
        let ResponseError::Decode(e) = err else {
            panic!("{err:?}")
        };
        assert_eq!(e.path, "imageDetails[0].imageTags");
        assert!(e.message.contains("expected a sequence"), "{e}");
    }
}

mod tcr {
    use super::*;
    use crspec::tcr::{DescribeImages, DescribeImagesError, DescribeImagesRequest};

    #[test]
    fn request_is_tencent_cloud_api_3() {
        let request = DescribeImagesRequest::builder()
            .registry_id("tcr-okmj78")
            .namespace_name("team-01")
            .repository_name("nginx")
            .limit(20)
            .offset(1)
            .build()
            .unwrap()
            .to_http(&Endpoint::region("ap-guangzhou"))
            .unwrap();
        assert_eq!(request.method(), http::Method::POST);
        assert_eq!(
            request.uri().to_string(),
            "https://tcr.tencentcloudapi.com/"
        );
        assert_eq!(header(&request, "x-tc-action"), "DescribeImages");
        assert_eq!(header(&request, "x-tc-version"), "2019-09-24");
        assert_eq!(header(&request, "x-tc-region"), "ap-guangzhou");
        assert_eq!(header(&request, "content-type"), "application/json");
        assert_eq!(
            body_json(&request),
            json!({"RegistryId": "tcr-okmj78", "NamespaceName": "team-01",
                   "RepositoryName": "nginx", "Limit": 20, "Offset": 1})
        );
    }

    #[test]
    fn the_seed_example_parses_out_of_its_envelope() {
        let body = include_str!("data/tcr_describe_images.json");
        let reply = DescribeImages::parse_response(&response(200, &[], body)).unwrap();
        assert_eq!(
            reply.request_id.as_deref(),
            Some("d76f7a1b-d9e9-4454-b95b-25c34f17b943")
        );
        assert_eq!(reply.output.total_count, Some(1));
        assert_eq!(reply.output.image_info_list[0].image_version, "8");
    }

    #[test]
    fn errors_arrive_with_http_200_and_keep_their_category() {
        let body = r#"{"Response":{"Error":{"Code":"InternalError.DbError","Message":"db down"},
                      "RequestId":"req-9"}}"#;
        let err = DescribeImages::parse_response(&response(200, &[], body)).unwrap_err();
        let ResponseError::Service(e) = err else {
            panic!("{err:?}")
        };
        assert!(
            matches!(e, DescribeImagesError::InternalErrorDbError(_)),
            "{e:?}"
        );
        assert_eq!(e.category(), "InternalError");
        assert!(e.is_retryable());
        assert_eq!(e.message(), Some("db down"));
        assert_eq!(e.details().request_id.as_deref(), Some("req-9"));

        let body = r#"{"Response":{"Error":{"Code":"AuthFailure.SignatureExpire","Message":"late"},
                      "RequestId":"req-10"}}"#;
        let err = DescribeImages::parse_response(&response(200, &[], body)).unwrap_err();
        let ResponseError::Service(DescribeImagesError::Unknown(e)) = err else {
            panic!("{err:?}")
        };
        assert_eq!(e.code, "AuthFailure.SignatureExpire");
        assert_eq!(e.http_status, Some(200));
        assert_eq!(crspec::runtime::error_category(&e.code), "AuthFailure");

        // TCR's protocol strips nothing: a code with `#` and `:` arrives whole.
        let body = r#"{"Response":{"Error":{"Code":"A#B:c"},"RequestId":"r"}}"#;
        let err = DescribeImages::parse_response(&response(200, &[], body)).unwrap_err();
        let ResponseError::Service(DescribeImagesError::Unknown(e)) = err else {
            panic!("{err:?}")
        };
        assert_eq!(e.code, "A#B:c");
    }

    #[test]
    fn malformed_bodies_say_what_was_expected() {
        for (body, path, expected) in [
            (
                r#"{"ImageInfoList": []}"#,
                "",
                "expected the member `Response`",
            ),
            (r#"{"Response": []}"#, "Response", "expected an object"),
            (
                r#"{"Response": {"TotalCount": 0, "RequestId": "r"}}"#,
                "Response",
                "missing field `ImageInfoList`",
            ),
            (
                r#"{"Response": {"ImageInfoList": [{"Digest": 1}], "TotalCount": 1, "RequestId": "r"}}"#,
                "Response.ImageInfoList[0].Digest",
                "invalid type",
            ),
        ] {
            let err = DescribeImages::parse_response(&response(200, &[], body)).unwrap_err();
            let ResponseError::Decode(e) = err else {
                panic!("{body}: {err:?}")
            };
            assert_eq!(e.path, path, "{body}: {e}");
            assert!(e.message.contains(expected), "{body}: {e}");
        }
    }
}

mod jdcloud {
    use super::*;
    use crspec::jdcloud::{
        DescribeImages, DescribeImagesError, DescribeImagesRequest, Filter, FilterName,
    };

    #[test]
    fn request_is_a_get_with_the_region_in_the_path_and_indexed_filters() {
        let request = DescribeImagesRequest::builder()
            .region_id("cn-north-1")
            .filters([
                Filter::builder()
                    .name(FilterName::RepositoryName)
                    .values(["team/app".into()])
                    .build()
                    .unwrap(),
                Filter::builder()
                    .name(FilterName::ImageTag)
                    .operator("eq")
                    .values(["v1".into(), "v 2".into()])
                    .build()
                    .unwrap(),
            ])
            .page_number(2)
            .page_size(10)
            .build()
            .unwrap()
            .to_http(&Endpoint::region("cn-north-1"))
            .unwrap();
        assert_eq!(request.method(), http::Method::GET);
        assert_eq!(
            request.uri().to_string(),
            "https://containerregistry.jdcloud-api.com/v1/regions/cn-north-1/images?\
             filters.1.name=repositoryName&filters.1.values.1=team%2Fapp&\
             filters.2.name=imageTag&filters.2.operator=eq&filters.2.values.1=v1&\
             filters.2.values.2=v%202&pageNumber=2&pageSize=10"
        );
        assert!(request.body().is_empty());
        // No body, but the Content-Type that jdcloud_sdk sends (and signs) with every request.
        assert_eq!(header(&request, "content-type"), "application/json");
    }

    #[test]
    fn path_members_are_percent_encoded() {
        let mut request = DescribeImagesRequest::builder()
            .region_id("cn-north-1")
            .build()
            .unwrap();
        request.region_id = "a/../b".into();
        let http = request.to_http(&Endpoint::region("cn-north-1")).unwrap();
        assert_eq!(http.uri().path(), "/v1/regions/a%2F..%2Fb/images");
    }

    #[test]
    fn result_and_errors_by_status() {
        let body = r#"{"requestId":"c0h9","result":{"imageDetails":[{"imageDigest":"sha256:01",
                      "imageSizeMB":1.5}],"totalCount":1}}"#;
        let reply = DescribeImages::parse_response(&response(200, &[], body)).unwrap();
        assert_eq!(reply.request_id.as_deref(), Some("c0h9"));
        assert_eq!(reply.output.total_count, Some(1));

        for (status, code) in [
            (400, "INVALID_ARGUMENT"),
            (401, "UNAUTHENTICATED"),
            (404, "NOT_FOUND"),
            (500, "INTERNAL"),
            (503, "UNAVAILABLE"),
        ] {
            let body = json!({"requestId": "r1", "error":
                {"code": status, "status": code, "message": "m"}})
            .to_string();
            let err = DescribeImages::parse_response(&response(status, &[], &body)).unwrap_err();
            let ResponseError::Service(e) = err else {
                panic!("{code}: {err:?}")
            };
            assert_eq!(e.code(), code);
            assert_eq!(e.http_status(), Some(status));
            assert!(!matches!(e, DescribeImagesError::Unknown(_)));
            assert_eq!(e.details().request_id.as_deref(), Some("r1"));
        }
        let err = DescribeImages::parse_response(&response(200, &[], r#"{"requestId":"x"}"#))
            .unwrap_err();
        let ResponseError::Decode(e) = err else {
            panic!()
        };
        assert!(e.message.contains("`result`"), "{e}");
        assert_eq!(e.request_id.as_deref(), Some("x"));
    }
}

/// [`Limits`]: the bytes of a body, and the items it holds, counted the same way for each
/// provider: a body read straight into the output counts its structures (the output and every
/// item), one read as a JSON tree first counts its objects (the envelope too).
mod limits {
    use super::*;
    use crspec::runtime::wire::{Limits, TooLarge};

    const TCR_ITEM: &str =
        r#"{"Digest":"sha256:01","Size":1,"ImageVersion":"v","UpdateTime":"2022-08-06T07:31:01Z"}"#;

    /// `n` times `item`, separated by commas.
    fn items(n: usize, item: &str) -> String {
        let mut list = format!("{item},").repeat(n);
        list.pop();
        list
    }

    #[test]
    fn a_body_over_the_byte_limit_is_too_large_before_it_is_read() {
        let limits = Limits::DEFAULT.with_max_bytes(20);
        let body = r#"{"imageDetails":[]}"#; // 19 bytes
        assert!(
            crspec::ecr::DescribeImages::parse_response_with(&response(200, &[], body), &limits)
                .is_ok()
        );
        let err = crspec::ecr::DescribeImages::parse_response_with(
            &response(200, &[], &format!("{body} ")),
            &limits.with_max_bytes(19),
        )
        .unwrap_err();
        assert_eq!(
            err,
            ResponseError::TooLarge(TooLarge::Bytes { len: 20, max: 19 })
        );
        // Not JSON at all: the length is checked first.
        let err = crspec::tcr::DescribeImages::parse_response_with(
            &response(200, &[], &"x".repeat(21)),
            &limits,
        )
        .unwrap_err();
        assert_eq!(
            err,
            ResponseError::TooLarge(TooLarge::Bytes { len: 21, max: 20 })
        );
        assert_eq!(Limits::default().max_bytes(), 16 << 20);
        let err = crspec::jdcloud::DescribeImages::parse_response(&response(
            200,
            &[],
            &" ".repeat((16 << 20) + 1),
        ))
        .unwrap_err();
        assert!(
            matches!(err, ResponseError::TooLarge(TooLarge::Bytes { .. })),
            "{err:?}"
        );
    }

    #[test]
    fn the_item_limit_counts_structures_or_objects_up_to_the_last_one_allowed() {
        let limits = Limits::DEFAULT.with_max_items(11);
        let too_many = TooLarge::Items { max: 11 };

        // ECR, straight into the output: the response and ten images are eleven structures.
        let ecr = |n| {
            let body = format!(r#"{{"imageDetails":[{}]}}"#, items(n, "{}"));
            crspec::ecr::DescribeImages::parse_response_with(&response(200, &[], &body), &limits)
        };
        assert_eq!(ecr(10).unwrap().output.image_details.unwrap().len(), 10);
        assert_eq!(ecr(11).unwrap_err(), ResponseError::TooLarge(too_many));

        // TCR, through its envelope: the body, `Response` and nine images are eleven objects.
        let tcr = |n| {
            let body = format!(
                r#"{{"Response":{{"ImageInfoList":[{}],"TotalCount":{n},"RequestId":"r"}}}}"#,
                items(n, TCR_ITEM)
            );
            crspec::tcr::DescribeImages::parse_response_with(&response(200, &[], &body), &limits)
        };
        assert_eq!(tcr(9).unwrap().output.image_info_list.len(), 9);
        assert_eq!(tcr(10).unwrap_err(), ResponseError::TooLarge(too_many));

        // JD Cloud, likewise; and an error body is counted the same way.
        let jd = |n| {
            let body = format!(
                r#"{{"requestId":"r","result":{{"imageDetails":[{}]}}}}"#,
                items(n, "{}")
            );
            crspec::jdcloud::DescribeImages::parse_response_with(
                &response(200, &[], &body),
                &limits,
            )
        };
        assert_eq!(jd(9).unwrap().output.image_details.unwrap().len(), 9);
        assert_eq!(jd(10).unwrap_err(), ResponseError::TooLarge(too_many));
        let body = format!(
            r#"{{"__type":"ServerException","extra":[{}]}}"#,
            items(11, "{}")
        );
        let err =
            crspec::ecr::DescribeImages::parse_response_with(&response(500, &[], &body), &limits)
                .unwrap_err();
        assert_eq!(err, ResponseError::TooLarge(too_many));
    }

    #[test]
    fn a_body_of_empty_items_under_the_byte_limit_ends_at_the_default_item_limit() {
        // The issue's case: millions of `{}` (each a whole ImageDetail once read). Just under
        // the 16 MiB default, this is 5.6 million items; reading stops at 50,000.
        let n = ((16 << 20) - 40) / 3;
        for (status, headers) in [(200, &[("x-amzn-RequestId", "r")][..]), (400, &[][..])] {
            let body = format!(r#"{{"__type":"X","imageDetails":[{}]}}"#, items(n, "{}"));
            assert!(body.len() <= Limits::DEFAULT.max_bytes());
            let err =
                crspec::ecr::DescribeImages::parse_response(&response(status, headers, &body))
                    .unwrap_err();
            assert_eq!(
                err,
                ResponseError::TooLarge(TooLarge::Items { max: 50_000 }),
                "HTTP {status}"
            );
        }
    }
}

/// One duplicate-key policy for every provider and every kind of key: the last one wins.
mod duplicate_keys {
    use super::*;

    #[test]
    fn ecr_keeps_the_last_member_of_the_output_and_of_an_error() {
        let body = r#"{"imageDetails":[{"imageTags":["a"],"imageTags":["b"],
            "imageScanStatus":{"status":"COMPLETE","description":"x"},
            "imageScanStatus":{"status":"FAILED"}}],
            "nextToken":"1","nextToken":"2"}"#;
        let reply = crspec::ecr::DescribeImages::parse_response(&response(
            200,
            &[("x-amzn-RequestId", "r")],
            body,
        ))
        .unwrap();
        let image = &reply.output.image_details.unwrap()[0];
        assert_eq!(image.image_tags.as_deref().unwrap(), ["b"]);
        let status = image.image_scan_status.as_ref().unwrap();
        assert_eq!(status.status, Some(crspec::ecr::ScanStatus::Failed));
        assert_eq!(
            status.description, None,
            "the second structure, not a merge"
        );
        assert_eq!(reply.output.next_token.as_deref(), Some("2"));

        let body = r#"{"__type":"ServerException","__type":"RepositoryNotFoundException",
            "message":"first","message":"last"}"#;
        let err =
            crspec::ecr::DescribeImages::parse_response(&response(400, &[], body)).unwrap_err();
        let ResponseError::Service(crspec::ecr::DescribeImagesError::RepositoryNotFoundException(
            d,
        )) = err
        else {
            panic!("{err:?}")
        };
        assert_eq!(d.message.as_deref(), Some("last"));
    }

    #[test]
    fn ecr_public_keeps_the_last_member() {
        let body = r#"{"imageDetails":[{"imageDigest":"sha256:01"}],"imageDetails":[]}"#;
        let reply =
            crspec::ecr_public::DescribeImages::parse_response(&response(200, &[], body)).unwrap();
        assert_eq!(reply.output.image_details.unwrap().len(), 0);
    }

    #[test]
    fn tcr_keeps_the_last_member_the_last_envelope_and_the_last_error_code() {
        let body = r#"{"Response":{"ImageInfoList":[],"TotalCount":1,"TotalCount":2,
            "RequestId":"r1","RequestId":"r2"}}"#;
        let reply = crspec::tcr::DescribeImages::parse_response(&response(200, &[], body)).unwrap();
        assert_eq!(reply.output.total_count, Some(2));
        assert_eq!(reply.request_id.as_deref(), Some("r2"));

        let body = r#"{"Response":{"Error":{"Code":"InternalError"},"RequestId":"r1"},
            "Response":{"ImageInfoList":[],"TotalCount":0,"RequestId":"r2"}}"#;
        let reply = crspec::tcr::DescribeImages::parse_response(&response(200, &[], body)).unwrap();
        assert_eq!(reply.request_id.as_deref(), Some("r2"));

        let body = r#"{"Response":{"Error":{"Code":"InternalError.DbError","Code":"Unsupported"},
            "RequestId":"r"}}"#;
        let err =
            crspec::tcr::DescribeImages::parse_response(&response(200, &[], body)).unwrap_err();
        let ResponseError::Service(e) = err else {
            panic!("{err:?}")
        };
        assert_eq!(e.code(), "Unsupported");
    }

    #[test]
    fn jdcloud_keeps_the_last_member_and_the_last_request_id() {
        let body = r#"{"requestId":"a","result":{"totalCount":1,"totalCount":2},"requestId":"b"}"#;
        let reply =
            crspec::jdcloud::DescribeImages::parse_response(&response(200, &[], body)).unwrap();
        assert_eq!(reply.output.total_count, Some(2));
        assert_eq!(reply.request_id.as_deref(), Some("b"));
    }
}

#[test]
fn china_regions_use_the_aws_cn_partition() {
    use crspec::ecr::DescribeImagesRequest;
    let request = DescribeImagesRequest::builder()
        .repository_name("team/app")
        .build()
        .unwrap();
    for (region, url) in [
        ("cn-north-1", "https://api.ecr.cn-north-1.amazonaws.com.cn/"),
        (
            "cn-northwest-1",
            "https://api.ecr.cn-northwest-1.amazonaws.com.cn/",
        ),
        ("us-east-1", "https://api.ecr.us-east-1.amazonaws.com/"),
    ] {
        let http = request.to_http(&Endpoint::region(region)).unwrap();
        assert_eq!(http.uri().to_string(), url);
    }
}

#[test]
fn a_greedy_path_member_keeps_its_slashes_and_a_regionless_endpoint_works() {
    use crspec::runtime::wire::{
        Location, Operation, Protocol, RequestError, Signing, build_request,
    };
    const PROTOCOL: Protocol = Protocol {
        endpoint: "https://registry.example",
        region_endpoints: &[],
        api_version: "v2",
        json_body: false,
        content_type: None,
        headers: &[],
        envelope: None,
        request_id: None,
        errors_always: false,
        error_code: "errors.0.code",
        error_message: &[],
        strip_namespace: false,
        signing: Signing::None,
    };
    const TAGS: Operation = Operation {
        name: "ListTags",
        method: "GET",
        path: "/v2/{name+}/tags/list",
        members: &[("name", Location::Path), ("n", Location::Query)],
    };
    let input = |name: &str| serde_json::json!({"name": name, "n": 2});
    let endpoint = Endpoint::url("http://127.0.0.1:5000");
    let request = build_request(&PROTOCOL, &TAGS, &endpoint, &input("team/app é")).unwrap();
    assert_eq!(
        request.uri().to_string(),
        "http://127.0.0.1:5000/v2/team/app%20%C3%A9/tags/list?n=2"
    );
    for bad in ["team//app", "../x", "team/.", "/x"] {
        let err = build_request(&PROTOCOL, &TAGS, &endpoint, &input(bad)).unwrap_err();
        assert!(matches!(err, RequestError::Http(_)), "{bad}: {err}");
    }
    // A protocol that needs a region refuses an endpoint without one, and says why.
    let regional = Protocol {
        endpoint: "https://api.{region}.example",
        ..PROTOCOL
    };
    let err = build_request(&regional, &TAGS, &Endpoint::region(""), &input("a")).unwrap_err();
    assert!(err.to_string().contains("needs a region"), "{err}");
}
