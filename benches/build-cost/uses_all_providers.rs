//! Uses all four providers: builds and validates a request, parses a response, summarizes it.
//! The binary of both `crspec-default` and `crspec-on` (they differ only in the `regenerate`
//! feature: off by default, on in `crspec-on`).

use crspec::{ecr, ecr_public, jdcloud, tcr};

fn main() {
    let request = ecr::DescribeImagesRequest::builder()
        .repository_name("team/app")
        .max_results(100)
        .build()
        .unwrap();
    let page: ecr::DescribeImagesResponse =
        serde_json::from_str(r#"{"imageDetails": [{"imageDigest": "sha256:01"}]}"#).unwrap();
    println!("{:?}", ecr::DescribeImages::summaries(&request, &page));

    let request = ecr_public::DescribeImagesRequest::builder()
        .repository_name("team/app")
        .build()
        .unwrap();
    let page: ecr_public::DescribeImagesResponse =
        serde_json::from_str(r#"{"imageDetails": []}"#).unwrap();
    println!("{:?}", ecr_public::DescribeImages::summaries(&request, &page));

    let request: tcr::DescribeImagesRequest = serde_json::from_str(
        r#"{"RegistryId": "tcr-1", "NamespaceName": "ns", "RepositoryName": "app"}"#,
    )
    .unwrap();
    let page: tcr::DescribeImagesResponse =
        serde_json::from_str(r#"{"ImageInfoList": [], "TotalCount": 0, "RequestId": "x"}"#).unwrap();
    println!("{:?} {:?}", request.validate(), tcr::DescribeImages::summaries(&request, &page));

    let request: jdcloud::DescribeImagesRequest = serde_json::from_str(
        r#"{"regionId": "cn-north-1", "registryName": "reg", "repositoryName": "app"}"#,
    )
    .unwrap();
    let page: jdcloud::DescribeImagesResult =
        serde_json::from_str(r#"{"images": [], "totalCount": 0}"#).unwrap();
    println!("{:?} {:?}", request.validate(), jdcloud::DescribeImages::summaries(&request, &page));
}
