//! Hostile but valid spec text (BOM, comment closers, code fences, HTML, control and bidi
//! characters, long Unicode, keyword and digit-led wire names, lists of lists, YAML anchors,
//! aliases and merge keys) expands to code that compiles without a warning and works.
#![deny(warnings)]

crspec_macros::include_spec!("../../../../tests/fixtures/hostile.yaml");

fn main() {
    let request = hostile::DescribeImagesRequest::builder()
        .repository_name("team/app")
        .kind("k")
        .nine_lives([vec![vec![vec![vec![vec![vec![vec!["deep".to_owned()]]]]]]]])
        .image_ids([hostile::ImageIdentifier {
            image_digest: None,
            image_tag: Some("v1".into()),
            other_tag: Some(String::new()),
            merged_tag: Some("four".into()),
        }])
        .build()
        .unwrap_err();
    // The alias keeps the anchor's length rule; the merge key overrides it with max 3.
    let paths: Vec<&str> = request.violations().iter().map(|v| v.path.as_str()).collect();
    assert_eq!(paths, ["imageIds[0].otherTag", "imageIds[0].mergedTag"]);
}
