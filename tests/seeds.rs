//! The response examples and response syntax of the seeds (`shared/seeds/`) parse into the
//! generated types field for field, serialize back to the same JSON, and keep what the specs do
//! not know (unknown enum values) instead of failing or dropping it.

use serde_json::{Value, json};

/// Parses `body` into `T`, checks that serializing it back gives the same JSON, and returns it.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(body: &Value) -> T {
    let parsed: T = serde_json::from_value(body.clone()).unwrap_or_else(|e| panic!("{e}: {body}"));
    assert_eq!(&serde_json::to_value(&parsed).unwrap(), body);
    parsed
}

/// Seed 004's response example, verbatim (the `Response` envelope included).
const TCR_EXAMPLE: &str = r#"{
"Response": {
"RequestId": "d76f7a1b-d9e9-4454-b95b-25c34f17b943",
"ImageInfoList": [
{
"Digest": "sha256:a1801b843b1bfaf77c501e7a6d3f709401a1e0c83863037fa3aab063a7fdb9dc",
"ImageVersion": "8",
"Size": 83520757,
"UpdateTime": "2022-08-06T07:31:01.207374Z",
"Kind": "Artifact::application/vnd.docker.distribution.manifest.v2+json",
"KmsSignature": "UKauWpHdjaTjTsE64BSFhJe0YZj7eXiu8DzkRgTk0vbuxl+ICYbVJ2p1afHGv/WsOqqJvEKJdNPU4iAGNYEbegTi/UwcrCRijNeFkzHNqljBa75g1u9LHjVmtE9dxzh17YGRHpDxbL2CCjZ9YgeCqppsl1LiXvlYdrMLgoqwHKwao3WnkZU2fye4HIreZ3CXGkjv7g8rbhmjwEZJUTWAuEws7eNSvl9RS8NAJctwvZWZQUGKkRpbBRkKxdENSIgRoA+SyX0Qmu2SxvwDRTsCwI+B1rJxLmw1wYgAh3mQiXtehBZAJdYLcOvokUgAUC8cpKpeJ+bSsYvCLh+uJlF4Pg=="
}
],
"TotalCount": 1
}
}"#;

#[test]
fn tcr_seed_example_parses_field_for_field() {
    use crspec::tcr::DescribeImagesResponse;
    let envelope: Value = serde_json::from_str(TCR_EXAMPLE).unwrap();
    let body = &envelope["Response"];
    let page: DescribeImagesResponse = round_trip(body);
    assert_eq!(
        page.request_id.as_deref(),
        Some("d76f7a1b-d9e9-4454-b95b-25c34f17b943")
    );
    assert_eq!(page.total_count, Some(1));
    assert_eq!(page.image_info_list.len(), 1);
    let image = &page.image_info_list[0];
    assert_eq!(
        image.digest,
        "sha256:a1801b843b1bfaf77c501e7a6d3f709401a1e0c83863037fa3aab063a7fdb9dc"
    );
    assert_eq!(image.image_version, "8");
    assert_eq!(image.size, 83_520_757);
    let at = image.update_time.parse_rfc3339().unwrap();
    assert_eq!(
        (at.year(), u8::from(at.month()), at.day()),
        (2022, 8, 6),
        "{at}"
    );
    assert_eq!((at.hour(), at.minute(), at.second()), (7, 31, 1));
    assert_eq!(at.microsecond(), 207_374);
    assert!(at.offset().is_utc());
    assert_eq!(
        image.kind.as_deref(),
        Some("Artifact::application/vnd.docker.distribution.manifest.v2+json")
    );
    let signature = image.kms_signature.as_deref().unwrap();
    assert!(signature.starts_with("UKauWpHdjaTjTsE64BSF") && signature.ends_with("uJlF4Pg=="));
}

#[test]
fn tcr_nullable_fields_accept_null_and_required_fields_are_enforced() {
    use crspec::tcr::DescribeImagesResponse;
    let mut body: Value = serde_json::from_str::<Value>(TCR_EXAMPLE).unwrap()["Response"].clone();
    body["ImageInfoList"][0]["Kind"] = Value::Null;
    body["ImageInfoList"][0]["KmsSignature"] = Value::Null;
    let page: DescribeImagesResponse = serde_json::from_value(body.clone()).unwrap();
    assert_eq!(page.image_info_list[0].kind, None);
    assert_eq!(page.image_info_list[0].kms_signature, None);

    // A missing required member is an error naming it, not a default value.
    body["ImageInfoList"][0]
        .as_object_mut()
        .unwrap()
        .remove("Digest");
    let err = serde_json::from_value::<DescribeImagesResponse>(body.clone()).unwrap_err();
    assert!(err.to_string().contains("missing field `Digest`"), "{err}");

    // UpdateTime is text (the API model fixes no format, and its example is
    // `2022-07-19 15:16:17`): any string reads, and only an RFC 3339 one reads as a time.
    let mut body: Value = serde_json::from_str::<Value>(TCR_EXAMPLE).unwrap()["Response"].clone();
    body["ImageInfoList"][0]["UpdateTime"] = json!("2022-07-19 15:16:17");
    let page = serde_json::from_value::<DescribeImagesResponse>(body).unwrap();
    let at = &page.image_info_list[0].update_time;
    assert_eq!(at.as_str(), "2022-07-19 15:16:17");
    let err = at.parse_rfc3339().unwrap_err();
    assert!(err.to_string().contains("RFC 3339"), "{err}");
}

/// Seed 001's response syntax with a value of the documented type in each place.
#[test]
fn ecr_public_seed_response_syntax_parses_field_for_field() {
    use crspec::ecr_public::{ArtifactMediaType, DescribeImagesResponse, ManifestMediaType};
    use crspec_runtime::DigestAlgorithm;
    let body = json!({
        "imageDetails": [{
            "artifactMediaType": "application/vnd.docker.container.image.v1+json",
            "imageDigest": "sha256:aa6f1b1ee12b2b33b1f1fbc4f6b1f2e1a2c3d4e5f60718293a4b5c6d7e8f9012",
            "imageManifestMediaType": "application/vnd.docker.distribution.manifest.v2+json",
            "imagePushedAt": 1_670_371_455.5,
            "imageSizeInBytes": 2_811_010,
            "imageTags": ["latest", "v1"],
            "registryId": "123456789012",
            "repositoryName": "team/app"
        }],
        "nextToken": "eyJwYWdlIjoyfQ=="
    });
    let page: DescribeImagesResponse = round_trip(&body);
    assert_eq!(page.next_token.as_deref(), Some("eyJwYWdlIjoyfQ=="));
    let image = &page.image_details.as_ref().unwrap()[0];
    // Known media types are enum values; the digest is decoded.
    assert_eq!(
        image.artifact_media_type,
        Some(ArtifactMediaType::DockerContainerImage)
    );
    let digest = image.image_digest.as_ref().unwrap();
    assert_eq!(digest.algorithm(), DigestAlgorithm::Sha256);
    assert_eq!(digest.as_sha256().unwrap()[..2], [0xaa, 0x6f]);
    assert!(digest.to_string().starts_with("sha256:aa6f"));
    assert_eq!(
        image.image_manifest_media_type,
        Some(ManifestMediaType::DockerManifestV2)
    );
    let pushed = image.image_pushed_at.unwrap().get();
    assert_eq!(pushed.unix_timestamp(), 1_670_371_455);
    assert_eq!(pushed.millisecond(), 500);
    assert_eq!(image.image_size_in_bytes, Some(2_811_010));
    assert_eq!(image.image_tags.as_deref().unwrap(), ["latest", "v1"]);
    assert_eq!(image.registry_id.as_deref(), Some("123456789012"));
    assert_eq!(image.repository_name.as_deref(), Some("team/app"));

    // The last page: no token, and an image without tags.
    let last: DescribeImagesResponse =
        round_trip(&json!({"imageDetails": [{"imageDigest": "sha256:01"}]}));
    assert_eq!(last.next_token, None);
    assert_eq!(last.image_details.unwrap()[0].image_tags, None);
}

/// Seed 003's response syntax (every member, every scan state it lists, the severity map).
#[test]
fn ecr_seed_response_syntax_parses_field_for_field() {
    use crspec::ecr::{
        ArtifactMediaType, DescribeImagesResponse, FindingSeverity, ManifestMediaType, ScanStatus,
    };
    use crspec_runtime::DigestAlgorithm;
    let states = [
        ("IN_PROGRESS", ScanStatus::InProgress),
        ("COMPLETE", ScanStatus::Complete),
        ("FAILED", ScanStatus::Failed),
        ("UNSUPPORTED_IMAGE", ScanStatus::UnsupportedImage),
        ("ACTIVE", ScanStatus::Active),
        ("PENDING", ScanStatus::Pending),
        (
            "SCAN_ELIGIBILITY_EXPIRED",
            ScanStatus::ScanEligibilityExpired,
        ),
        ("FINDINGS_UNAVAILABLE", ScanStatus::FindingsUnavailable),
    ];
    for (wire, status) in states {
        let body = json!({
            "imageDetails": [{
                "registryId": "123456789012",
                "repositoryName": "team/app",
                "imageDigest": "sha256:0123",
                "imageTags": ["v1"],
                "imageSizeInBytes": 123,
                "imagePushedAt": 1_420_070_400,
                "imageScanStatus": {"status": wire, "description": "The scan was completed successfully."},
                "imageScanFindingsSummary": {
                    "imageScanCompletedAt": 1_420_070_401,
                    "vulnerabilitySourceUpdatedAt": 1_420_070_402.25,
                    "findingSeverityCounts": {"HIGH": 2, "LOW": 7, "NEW_LEVEL": 1}
                },
                "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json",
                "artifactMediaType": "application/vnd.oci.image.config.v1+json",
                "lastRecordedPullTime": 1_420_070_403
            }],
            "nextToken": "string"
        });
        let page: DescribeImagesResponse = round_trip(&body);
        let image = &page.image_details.as_ref().unwrap()[0];
        assert_eq!(image.registry_id.as_deref(), Some("123456789012"));
        assert_eq!(image.repository_name.as_deref(), Some("team/app"));
        // Too short for sha256: kept as it came, not decoded.
        let digest = image.image_digest.as_ref().unwrap();
        assert_eq!(digest.as_other(), Some("sha256:0123"));
        assert_eq!(digest.algorithm(), DigestAlgorithm::Other);
        assert_eq!(image.image_tags.as_deref().unwrap(), ["v1"]);
        assert_eq!(image.image_size_in_bytes, Some(123));
        // as.POSIXct("2015-01-01"), in the seed
        assert_eq!(
            image.image_pushed_at.unwrap().get().date().to_string(),
            "2015-01-01"
        );
        let scan = image.image_scan_status.as_ref().unwrap();
        assert_eq!(scan.status.as_ref(), Some(&status));
        assert_eq!(
            scan.description.as_deref(),
            Some("The scan was completed successfully.")
        );
        let summary = image.image_scan_findings_summary.as_ref().unwrap();
        assert_eq!(
            summary
                .image_scan_completed_at
                .unwrap()
                .get()
                .unix_timestamp(),
            1_420_070_401
        );
        assert_eq!(
            summary
                .vulnerability_source_updated_at
                .unwrap()
                .get()
                .millisecond(),
            250
        );
        let counts = summary.finding_severity_counts.as_ref().unwrap();
        assert_eq!(counts.len(), 3);
        assert_eq!(counts[&FindingSeverity::High], 2);
        assert_eq!(counts[&FindingSeverity::Low], 7);
        assert_eq!(counts[&FindingSeverity::Unknown("NEW_LEVEL".into())], 1);
        assert_eq!(
            image.image_manifest_media_type,
            Some(ManifestMediaType::OciManifest)
        );
        assert_eq!(
            image.artifact_media_type,
            Some(ArtifactMediaType::OciImageConfig)
        );
        assert_eq!(
            image
                .last_recorded_pull_time
                .unwrap()
                .get()
                .unix_timestamp(),
            1_420_070_403
        );
        assert_eq!(page.next_token.as_deref(), Some("string"));
    }
}

#[test]
fn unknown_enum_values_are_kept_and_sent_back_unchanged() {
    use crspec::ecr::{DescribeImagesResponse, ImageStatus, ScanStatus};
    let body = json!({"imageDetails": [{
        "imageScanStatus": {"status": "QUANTUM_SCAN"},
        "imageStatus": "FROZEN"
    }]});
    let page: DescribeImagesResponse = round_trip(&body);
    let image = &page.image_details.as_ref().unwrap()[0];
    assert_eq!(
        image.image_scan_status.as_ref().unwrap().status,
        Some(ScanStatus::Unknown("QUANTUM_SCAN".into()))
    );
    assert_eq!(
        image.image_status,
        Some(ImageStatus::Unknown("FROZEN".into()))
    );
}

#[test]
fn unknown_members_are_ignored_and_wrong_types_are_errors_with_a_place() {
    use crspec::ecr::DescribeImagesResponse;
    let page: DescribeImagesResponse = serde_json::from_value(json!({
        "imageDetails": [{"imageDigest": "sha256:01", "someFutureMember": {"x": 1}}],
        "anotherOne": true
    }))
    .unwrap();
    assert_eq!(
        page.image_details.unwrap()[0].image_digest,
        Some(crspec_runtime::Digest::parse("sha256:01"))
    );

    let err = serde_json::from_str::<DescribeImagesResponse>(
        r#"{"imageDetails": [{"imageSizeInBytes": "big"}]}"#,
    )
    .unwrap_err();
    assert!(err.to_string().contains("invalid type"), "{err}");
    assert_eq!((err.line(), err.column()), (1, 44), "{err}");
}

/// Seed 000's response parameters: `requestId` beside a `result` holding the page.
#[test]
fn jdcloud_seed_response_parses_field_for_field() {
    use crspec::jdcloud::DescribeImagesResult;
    let envelope = json!({
        "requestId": "c0h9kg1tdmo5an5fb5p4pbnbqgcwrs7g",
        "result": {
            "imageDetails": [{
                "registryName": "myregistry",
                "repositoryName": "team/app",
                "imageDigest": "sha256:0123abcd",
                "imageManifest": "{\"schemaVersion\":2}",
                "imagePushedAt": "2019-07-25T08:22:08Z",
                "imageSizeMB": 12.75,
                "imageTags": ["latest", "1.0"],
                "lastPullAt": "2019-07-26 10:00:00",
                "totalPullTimes": 42
            }],
            "totalCount": 1
        }
    });
    let result: DescribeImagesResult = round_trip(&envelope["result"]);
    assert_eq!(result.total_count, Some(1));
    let image = &result.image_details.as_ref().unwrap()[0];
    assert_eq!(image.registry_name.as_deref(), Some("myregistry"));
    assert_eq!(image.repository_name.as_deref(), Some("team/app"));
    assert_eq!(
        image.image_digest,
        Some(crspec_runtime::Digest::parse("sha256:0123abcd"))
    );
    assert_eq!(
        image.image_manifest.as_deref(),
        Some("{\"schemaVersion\":2}")
    );
    let pushed = image.image_pushed_at.as_ref().unwrap();
    assert_eq!(pushed.as_str(), "2019-07-25T08:22:08Z");
    assert_eq!(pushed.parse_rfc3339().unwrap().hour(), 8);
    assert!((image.image_size_mb.unwrap() - 12.75).abs() < f64::EPSILON);
    assert_eq!(image.image_tags.as_deref().unwrap(), ["latest", "1.0"]);
    // JD sends times as text without a documented format: kept as sent, parsed on request.
    let pulled = image.last_pull_at.as_ref().unwrap();
    assert_eq!(pulled.as_str(), "2019-07-26 10:00:00");
    assert!(pulled.parse_rfc3339().is_err());
    assert_eq!(image.total_pull_times, Some(42));
}

#[test]
fn enums_and_digests_read_from_bytes_escapes_and_values_alike() {
    use crspec::ecr::{ManifestMediaType, ScanStatus};
    use crspec_runtime::Digest;
    // A known value written with an escape is still the known value.
    let s: ScanStatus = serde_json::from_str(r#""COMPL\u0045TE""#).unwrap();
    assert_eq!(s, ScanStatus::Complete);
    let m: ManifestMediaType =
        serde_json::from_str(r#""application\/vnd.oci.image.manifest.v1+json""#).unwrap();
    assert_eq!(m, ManifestMediaType::OciManifest);
    // Unknown values are kept, from a reader and from a `Value` alike.
    let s: ScanStatus = serde_json::from_str(r#""NEW_STATE""#).unwrap();
    assert_eq!(s, ScanStatus::Unknown("NEW_STATE".into()));
    let s: ScanStatus = serde_json::from_value(json!("COMPLETE")).unwrap();
    assert_eq!(s, ScanStatus::Complete);
    // Raw bytes that are not UTF-8 are an error with a place, never a value.
    let e = serde_json::from_slice::<ScanStatus>(b"\"NEW_\xff\"").unwrap_err();
    assert!(e.to_string().contains("line 1"), "{e}");
    let e = serde_json::from_str::<ScanStatus>("[67, 79]").unwrap_err();
    assert!(e.to_string().contains("a string"), "{e}");
    let d: Digest = serde_json::from_str(&format!(r#""sha256:{}""#, "0a".repeat(32))).unwrap();
    assert_eq!(d.as_sha256(), Some(&[0x0a; 32]));
}

#[test]
fn a_tcr_page_without_its_count_or_request_id_is_not_lost() {
    use crspec::tcr::DescribeImages;
    let mut envelope: Value = serde_json::from_str(TCR_EXAMPLE).unwrap();
    let body = envelope["Response"].as_object_mut().unwrap();
    body.remove("TotalCount");
    body.remove("RequestId");
    let response = crspec::runtime::http::Response::builder()
        .status(200)
        .body(envelope.to_string().into_bytes())
        .unwrap();
    let reply = DescribeImages::parse_response(&response).unwrap();
    assert_eq!(reply.output.total_count, None);
    assert_eq!(reply.output.request_id, None);
    assert_eq!(reply.request_id, None);
    assert_eq!(reply.output.image_info_list.len(), 1);
}
