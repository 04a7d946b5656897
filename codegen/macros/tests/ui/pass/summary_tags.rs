//! A summary whose tags are a list of plain strings: each becomes a `ShortStr`.

crspec_macros::include_spec!("../../../../tests/fixtures/summary_tags.yaml");

fn main() {
    let request = mini::DescribeImagesRequest::builder()
        .repository_name("team/app")
        .build()
        .unwrap();
    let page: mini::DescribeImagesResponse = crspec_runtime::serde_json::from_str(
        r#"{"imageDetails": [{"imageDigest": "sha256:ab", "imageTags": ["v1", "a-tag-longer-than-twenty-three-bytes"]}, {}]}"#,
    )
    .unwrap();
    let summaries = mini::DescribeImages::summaries(&request, &page);
    assert_eq!(summaries[0].tags, ["v1", "a-tag-longer-than-twenty-three-bytes"]);
    assert!(summaries[1].tags.is_empty());
    assert_eq!(summaries[0].digest.as_ref().map(ToString::to_string).as_deref(), Some("sha256:ab"));
}
