//! The `Serialize` and `Deserialize` impls the generator writes for structures (instead of
//! deriving them): member order, unknown and escaped members, duplicates (the last one wins),
//! missing required members, round trips, and error paths through `parse_response`.

use crspec::runtime::http;
use crspec::runtime::wire::ResponseError;
use crspec::{ecr, jdcloud, tcr};
use serde_json::{Value, json};

fn ok_response(body: &str) -> http::Response<Vec<u8>> {
    http::Response::builder()
        .status(200)
        .header("x-amzn-RequestId", "r")
        .body(body.as_bytes().to_vec())
        .expect("a valid response")
}

const DIGEST: &str = "sha256:5c3e0a7b8f5c4a3e2d1c0b9a8f7e6d5c4b3a29180f7e6d5c4b3a29180f7e6d5c";

fn rich_image() -> Value {
    json!({
        "registryId": "123456789012",
        "repositoryName": "team/app",
        "imageDigest": DIGEST,
        "imageTags": ["v1", "latest"],
        "imageSizeInBytes": 52_428_800,
        "imagePushedAt": 1_700_000_000.25,
        "imageScanStatus": {"status": "COMPLETE", "description": "done"},
        "imageScanFindingsSummary": {
            "imageScanCompletedAt": 1_700_000_100.5,
            "vulnerabilitySourceUpdatedAt": 1_699_999_000,
            "findingSeverityCounts": {"HIGH": 2, "LOW": 7}
        },
        "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactMediaType": "application/vnd.example.unlisted+json",
        "lastRecordedPullTime": 1_700_000_200
    })
}

#[test]
fn members_in_any_order_unknown_members_and_escaped_names_read_the_same() {
    let canonical: ecr::ImageDetail = serde_json::from_value(rich_image()).unwrap();
    // Reverse order, with unknown members of every JSON kind in between.
    let Value::Object(members) = rich_image() else {
        unreachable!()
    };
    let mut reversed = String::from("{");
    for (i, (name, value)) in members.iter().rev().enumerate() {
        reversed.push_str(&format!(
            r#""unknown{i}": {{"nested": [1, null, "x", {{"imageDigest": 3}}]}}, "{name}": {value}, "#
        ));
    }
    reversed.push_str(r#""last": true}"#);
    let read: ecr::ImageDetail = serde_json::from_str(&reversed).unwrap();
    assert_eq!(read, canonical);
    // An escaped member name is the name after unescaping.
    let escaped = r#"{"image\u0044igest": "sha256:00", "imageTags": ["a"]}"#;
    let read: ecr::ImageDetail = serde_json::from_str(escaped).unwrap();
    assert_eq!(read.image_digest.unwrap().to_string(), "sha256:00");
    assert_eq!(read.image_tags.unwrap(), ["a"]);
    // `null` reads as an absent optional member.
    let read: ecr::ImageDetail =
        serde_json::from_str(r#"{"imageDigest": null, "imageTags": null}"#).unwrap();
    assert_eq!(read, ecr::ImageDetail::default());
}

#[test]
fn a_response_round_trips_and_writes_only_the_members_that_are_set() {
    let page = json!({"imageDetails": [rich_image(), {"imageDigest": DIGEST}], "nextToken": "t"});
    let read: ecr::DescribeImagesResponse = serde_json::from_value(page.clone()).unwrap();
    let written = serde_json::to_value(&read).unwrap();
    assert_eq!(
        written["imageDetails"][1],
        json!({"imageDigest": DIGEST}),
        "unset members are absent, not null"
    );
    assert_eq!(written["nextToken"], "t");
    let again: ecr::DescribeImagesResponse = serde_json::from_value(written).unwrap();
    assert_eq!(again, read);
}

#[test]
fn requests_name_a_missing_required_member_and_round_trip() {
    let err = serde_json::from_str::<jdcloud::DescribeImagesRequest>(
        r#"{"registryName": "reg", "repositoryName": "app"}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string().starts_with("missing field `regionId`"),
        "{err}"
    );
    let text = r#"{"RegistryId":"tcr-1","NamespaceName":"ns","RepositoryName":"app","Limit":20}"#;
    let request: tcr::DescribeImagesRequest = serde_json::from_str(text).unwrap();
    assert_eq!(request.limit, Some(20));
    let written = serde_json::to_string(&request).unwrap();
    let again: tcr::DescribeImagesRequest = serde_json::from_str(&written).unwrap();
    assert_eq!(again, request);
    assert_eq!(
        serde_json::from_str::<Value>(&written).unwrap(),
        serde_json::from_str::<Value>(text).unwrap()
    );
}

#[test]
fn a_structure_of_the_wrong_kind_is_a_decode_error_with_its_path() {
    let cases = [
        (
            r#"{"imageDetails":[{"imageScanStatus":["COMPLETE"]}]}"#,
            "imageDetails[0].imageScanStatus",
            "invalid type: sequence, expected struct ImageScanStatus",
        ),
        (
            r#"{"imageDetails":[{"imageScanFindingsSummary":{"findingSeverityCounts":{"HIGH":"two"}}}]}"#,
            "imageDetails[0].imageScanFindingsSummary.findingSeverityCounts.HIGH",
            "invalid type: string \"two\"",
        ),
    ];
    for (body, path, message) in cases {
        let err = ecr::DescribeImages::parse_response(&ok_response(body)).unwrap_err();
        let ResponseError::Decode(e) = err else {
            panic!("{body}: {err:?}")
        };
        assert_eq!(e.path, path, "{body}: {e}");
        assert!(e.message.starts_with(message), "{body}: {e}");
    }
}

#[test]
fn maps_keep_every_key_in_key_order_and_the_last_of_a_repeated_key() {
    use ecr::FindingSeverity as S;
    let counts = |body: &str| {
        serde_json::from_str::<ecr::ImageScanFindingsSummary>(&format!(
            r#"{{"findingSeverityCounts": {body}}}"#
        ))
        .unwrap()
        .finding_severity_counts
        .unwrap()
    };
    // In the enum's order (the spec's: INFORMATIONAL up to CRITICAL, then unknown values) or
    // not, known and unknown keys alike; iteration is in key order.
    let sorted = counts(r#"{"LOW": 7, "HIGH": 2, "CRITICAL": 1, "NEW_LEVEL": 9}"#);
    let shuffled = counts(r#"{"NEW_LEVEL": 9, "LOW": 7, "CRITICAL": 1, "HIGH": 2}"#);
    assert_eq!(sorted, shuffled);
    let entries: Vec<(S, i32)> = shuffled.iter().map(|(k, v)| (k.clone(), *v)).collect();
    assert_eq!(
        entries,
        [
            (S::Low, 7),
            (S::High, 2),
            (S::Critical, 1),
            (S::Unknown("NEW_LEVEL".into()), 9)
        ]
    );
    assert_eq!(shuffled.get(&S::Low), Some(&7));
    assert_eq!(shuffled.get(&S::Medium), None);
    // A repeated key keeps its last value, in order or not (as `BTreeMap` and `HashMap` do).
    assert_eq!(counts(r#"{"HIGH": 1, "HIGH": 2}"#).get(&S::High), Some(&2));
    let repeated = counts(r#"{"LOW": 1, "HIGH": 5, "LOW": 3}"#);
    assert_eq!((repeated.len(), repeated.get(&S::Low)), (2, Some(&3)));
    // Written back as an object in key order.
    assert_eq!(
        serde_json::to_value(&shuffled).unwrap(),
        json!({"LOW": 7, "HIGH": 2, "CRITICAL": 1, "NEW_LEVEL": 9})
    );
    assert_eq!(
        serde_json::to_string(&shuffled).unwrap(),
        r#"{"LOW":7,"HIGH":2,"CRITICAL":1,"NEW_LEVEL":9}"#
    );
    assert!(counts("{}").is_empty());
}

/// Structures whose members are all optional are read in place (`deserialize_in_place`), and
/// the items of their lists are built where they are stored: the result must be what reading a
/// fresh value gives, whatever the place held before.
#[test]
fn reading_in_place_gives_what_reading_afresh_gives() {
    use serde::Deserialize;
    let read_into = |body: &Value, place: &mut ecr::ImageDetail| {
        let text = body.to_string();
        ecr::ImageDetail::deserialize_in_place(
            &mut serde_json::Deserializer::from_str(&text),
            place,
        )
    };
    let rich: ecr::ImageDetail = serde_json::from_value(rich_image()).unwrap();
    // Over a value with every member set, a body with two members leaves only those two.
    let mut place = rich.clone();
    read_into(
        &json!({"imageTags": ["new"], "imageSizeInBytes": null}),
        &mut place,
    )
    .unwrap();
    assert_eq!(
        place,
        ecr::ImageDetail::builder()
            .image_tags(["new".into()])
            .build()
    );
    // A nested structure read into the one already there is as if read afresh too.
    let mut place = rich.clone();
    read_into(
        &json!({"imageScanFindingsSummary": {"imageScanCompletedAt": 5}, "imageScanStatus": null}),
        &mut place,
    )
    .unwrap();
    let summary = place.image_scan_findings_summary.as_ref().unwrap();
    assert_eq!(summary.image_scan_completed_at.unwrap().unix_seconds(), 5);
    assert_eq!(summary.finding_severity_counts, None);
    assert_eq!(summary.vulnerability_source_updated_at, None);
    assert_eq!(place.image_scan_status, None);
    // And over an empty value, the rich body gives the rich value.
    let mut place = ecr::ImageDetail::default();
    read_into(&rich_image(), &mut place).unwrap();
    assert_eq!(place, rich);

    // A list of such structures: each item as if read alone, and the list replaced, not
    // appended to; `null` and `[]` stay apart.
    let mut second = rich_image();
    second["imageTags"] = json!([]);
    second["imageScanStatus"] = Value::Null;
    let page = json!({"imageDetails": [rich_image(), {}, second.clone()], "nextToken": "t"});
    let read: ecr::DescribeImagesResponse = serde_json::from_value(page.clone()).unwrap();
    let items = read.image_details.as_ref().unwrap();
    assert_eq!(items.len(), 3);
    assert_eq!(items[0], rich);
    assert_eq!(items[1], ecr::ImageDetail::default());
    assert_eq!(
        items[2],
        serde_json::from_value::<ecr::ImageDetail>(second).unwrap()
    );
    assert_eq!(items[2].image_tags, Some(vec![]));
    assert_eq!(items[2].image_scan_status, None);
    let mut place = read.clone();
    ecr::DescribeImagesResponse::deserialize_in_place(
        &mut serde_json::Deserializer::from_str(r#"{"imageDetails": [{"imageTags": ["x"]}]}"#),
        &mut place,
    )
    .unwrap();
    assert_eq!(place.image_details.as_ref().map(Vec::len), Some(1));
    assert_eq!(place.next_token, None);
    for (body, details) in [
        (r#"{"imageDetails": null}"#, None),
        (r#"{"imageDetails": []}"#, Some(0)),
    ] {
        let read: ecr::DescribeImagesResponse = serde_json::from_str(body).unwrap();
        assert_eq!(read.image_details.as_ref().map(Vec::len), details, "{body}");
    }

    // A member twice keeps the last, whatever the first was; a structure twice is the second
    // one alone (reading it in place resets what the first one had and it has not).
    for (body, expected) in [
        (
            r#"{"imageTags": null, "imageTags": ["a"]}"#,
            json!({"imageTags": ["a"]}),
        ),
        (r#"{"imageTags": ["a"], "imageTags": null}"#, json!({})),
        (
            r#"{"imageSizeInBytes": 1, "imageSizeInBytes": 2}"#,
            json!({"imageSizeInBytes": 2}),
        ),
        (
            r#"{"imageScanStatus": {"status": "COMPLETE", "description": "done"},
                "imageScanStatus": {"status": "FAILED"}}"#,
            json!({"imageScanStatus": {"status": "FAILED"}}),
        ),
    ] {
        let read = serde_json::from_str::<ecr::ImageDetail>(body).unwrap();
        assert_eq!(serde_json::to_value(&read).unwrap(), expected, "{body}");
    }
    let read = serde_json::from_str::<ecr::DescribeImagesResponse>(
        r#"{"imageDetails": [{}], "imageDetails": null}"#,
    )
    .unwrap();
    assert_eq!(read.image_details, None);
    // A list that is not a list, and an item that is not a structure.
    for (body, message) in [
        (
            r#"{"imageDetails": {}}"#,
            "invalid type: map, expected a sequence",
        ),
        (
            r#"{"imageDetails": [1]}"#,
            "invalid type: integer `1`, expected struct ImageDetail",
        ),
    ] {
        let e = serde_json::from_str::<ecr::DescribeImagesResponse>(body).unwrap_err();
        assert!(e.to_string().starts_with(message), "{body}: {e}");
    }
}
