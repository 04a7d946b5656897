//! The valid fixture expands to a module whose types work.

crspec_macros::include_spec!("../../../../tests/fixtures/valid.yaml");

fn main() {
    let request = mini::DescribeImagesRequest::builder()
        .repository_name("team/app")
        .max_results(10)
        .build()
        .unwrap();
    assert_eq!(request.max_results, Some(10));
    let err = mini::DescribeImagesRequest::builder().build().unwrap_err();
    assert_eq!(err.to_string(), "repositoryName: required member is missing");
    assert_eq!(mini::DescribeImagesError::from_code("ServerException", Default::default()).is_retryable(), true);
}
