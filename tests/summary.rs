//! `crspec::ImageSummary`: one view of an image across providers, filled by each module's
//! `summaries` as the spec's `summary` mapping declares, with explicit unit conversions.

use crspec::ImageSummary;
use serde_json::json;

#[test]
fn ecr_images_map_member_for_member() {
    use crspec::ecr::{DescribeImages, DescribeImagesRequest, DescribeImagesResponse};
    let request = DescribeImagesRequest::builder()
        .repository_name("team/app")
        .build()
        .unwrap();
    let page: DescribeImagesResponse = serde_json::from_value(json!({"imageDetails": [
        {"registryId": "123456789012", "repositoryName": "team/app", "imageDigest": "sha256:01",
         "imageTags": ["v1", "latest"], "imageSizeInBytes": 2_811_010,
         "imagePushedAt": 1_670_371_455.123,
         "imageManifestMediaType": "application/vnd.oci.image.manifest.v1+json"},
        {"imageDigest": "sha256:02"}
    ]}))
    .unwrap();
    let summaries = DescribeImages::summaries(&request, &page);
    assert_eq!(summaries.len(), 2);
    let first = &summaries[0];
    assert_eq!(first.provider, "ecr");
    assert_eq!(first.registry.as_deref(), Some("123456789012"));
    assert_eq!(first.repository.as_deref(), Some("team/app"));
    assert_eq!(
        first.digest,
        Some(crspec::runtime::Digest::parse("sha256:01"))
    );
    assert_eq!(first.tags, ["v1", "latest"]);
    assert_eq!(first.size_bytes, Some(2_811_010));
    let pushed = first.pushed_at.unwrap();
    assert_eq!(
        (pushed.unix_timestamp(), pushed.millisecond()),
        (1_670_371_455, 123)
    );
    assert_eq!(
        first.media_type.as_deref(),
        Some("application/vnd.oci.image.manifest.v1+json")
    );
    // What the provider did not send stays empty; nothing is made up.
    assert_eq!(
        summaries[1],
        ImageSummary {
            provider: "ecr",
            digest: Some("sha256:02".into()),
            ..ImageSummary::default()
        }
    );
}

#[test]
fn ecr_public_images_map_like_ecr() {
    use crspec::ecr_public::{DescribeImages, DescribeImagesRequest, DescribeImagesResponse};
    let request = DescribeImagesRequest::builder()
        .repository_name("app")
        .build()
        .unwrap();
    let page: DescribeImagesResponse = serde_json::from_value(json!({"imageDetails": [
        {"registryId": "123456789012", "repositoryName": "app", "imageDigest": "sha256:03",
         "imageSizeInBytes": 5, "imagePushedAt": 1, "artifactMediaType": "x"}
    ]}))
    .unwrap();
    let s = &DescribeImages::summaries(&request, &page)[0];
    assert_eq!(s.provider, "ecr_public");
    assert_eq!(s.size_bytes, Some(5));
    assert!(s.tags.is_empty());
    assert_eq!(s.pushed_at.unwrap().unix_timestamp(), 1);
}

#[test]
fn tcr_takes_registry_and_repository_from_the_request_and_strips_the_kind_prefix() {
    use crspec::tcr::{DescribeImages, DescribeImagesRequest, DescribeImagesResponse};
    let request = DescribeImagesRequest::builder()
        .registry_id("tcr-okmj78")
        .namespace_name("team-01")
        .repository_name("nginx")
        .build()
        .unwrap();
    let envelope: serde_json::Value =
        serde_json::from_str(include_str!("data/tcr_describe_images.json")).unwrap();
    let page: DescribeImagesResponse =
        serde_json::from_value(envelope["Response"].clone()).unwrap();
    let s = &DescribeImages::summaries(&request, &page)[0];
    assert_eq!(s.provider, "tcr");
    assert_eq!(s.registry.as_deref(), Some("tcr-okmj78"));
    assert_eq!(s.repository.as_deref(), Some("nginx"));
    // A canonical sha256 digest: decoded, and printed back the same.
    let digest = s.digest.as_ref().unwrap();
    assert_eq!(digest.as_sha256().map(|b| b[0]), Some(0xa1));
    assert_eq!(
        digest.to_string(),
        "sha256:a1801b843b1bfaf77c501e7a6d3f709401a1e0c83863037fa3aab063a7fdb9dc"
    );
    assert_eq!(s.tags, ["8"]);
    assert_eq!(s.size_bytes, Some(83_520_757));
    assert_eq!(s.pushed_at.unwrap().microsecond(), 207_374);
    assert_eq!(
        s.media_type.as_deref(),
        Some("application/vnd.docker.distribution.manifest.v2+json")
    );
}

#[test]
fn tcr_negative_sizes_are_not_sizes() {
    use crspec::tcr::{DescribeImages, DescribeImagesRequest, DescribeImagesResponse};
    let request = DescribeImagesRequest::builder()
        .registry_id("r")
        .namespace_name("n")
        .repository_name("p")
        .build()
        .unwrap();
    let page: DescribeImagesResponse = serde_json::from_value(json!({
        "ImageInfoList": [{"Digest": "d", "Size": -1, "ImageVersion": "v",
                           "UpdateTime": "2022-08-06T07:31:01Z", "Kind": "plain/type"}],
        "TotalCount": 1, "RequestId": "r"}))
    .unwrap();
    let s = &DescribeImages::summaries(&request, &page)[0];
    assert_eq!(s.size_bytes, None);
    assert_eq!(s.media_type.as_deref(), Some("plain/type"));
}

#[test]
fn jdcloud_megabytes_become_bytes_and_text_times_are_read_when_rfc_3339() {
    use crspec::jdcloud::{DescribeImages, DescribeImagesRequest, DescribeImagesResult};
    let request = DescribeImagesRequest::builder()
        .region_id("cn-north-1")
        .build()
        .unwrap();
    let page: DescribeImagesResult = serde_json::from_value(json!({"imageDetails": [
        {"registryName": "reg", "repositoryName": "team/app", "imageDigest": "sha256:04",
         "imageSizeMB": 12.75, "imageTags": ["1.0"], "imagePushedAt": "2019-07-25T08:22:08Z"},
        {"imageSizeMB": 0.0000015, "imagePushedAt": "2019-07-25 08:22:08"},
        {"imageSizeMB": -3.0}
    ], "totalCount": 3}))
    .unwrap();
    let summaries = DescribeImages::summaries(&request, &page);
    let s = &summaries[0];
    assert_eq!(s.provider, "jdcloud");
    assert_eq!(s.registry.as_deref(), Some("reg"));
    assert_eq!(s.repository.as_deref(), Some("team/app"));
    assert_eq!(s.size_bytes, Some(12_750_000), "MB are 10^6 bytes");
    assert_eq!(s.tags, ["1.0"]);
    assert_eq!(s.pushed_at.unwrap().hour(), 8);
    assert_eq!(s.media_type, None);
    // 1.5 bytes rounds to 2; a time that is not RFC 3339 stays only in the typed page.
    assert_eq!(summaries[1].size_bytes, Some(2));
    assert_eq!(summaries[1].pushed_at, None);
    assert_eq!(summaries[2].size_bytes, None);
}
