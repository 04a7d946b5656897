//! Ten derived structs for a DescribeImages-like response, parsed from stdin-free JSON.

use serde::{Deserialize, Serialize};

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Request {
    registry_id: Option<String>,
    repository_name: String,
    image_ids: Option<Vec<Identifier>>,
    next_token: Option<String>,
    max_results: Option<i32>,
    filter: Option<Filter>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Identifier {
    image_digest: Option<String>,
    image_tag: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Filter {
    tag_status: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Response {
    image_details: Option<Vec<Detail>>,
    next_token: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct Detail {
    registry_id: Option<String>,
    repository_name: Option<String>,
    image_digest: Option<String>,
    image_tags: Option<Vec<String>>,
    image_size_in_bytes: Option<i64>,
    image_pushed_at: Option<f64>,
    image_scan_status: Option<ScanStatus>,
    image_scan_findings_summary: Option<FindingsSummary>,
    image_manifest_media_type: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
struct ScanStatus {
    status: Option<String>,
    description: Option<String>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct FindingsSummary {
    image_scan_completed_at: Option<f64>,
    finding_severity_counts: Option<std::collections::BTreeMap<String, i32>>,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TcrResponse {
    image_info_list: Vec<TcrImage>,
    total_count: i64,
    request_id: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "PascalCase")]
struct TcrImage {
    digest: String,
    size: i64,
    image_version: String,
    update_time: String,
}

#[derive(Debug, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct JdResult {
    images: Vec<Detail>,
    total_count: f64,
}

fn main() {
    let request = Request {
        registry_id: None,
        repository_name: "team/app".into(),
        image_ids: Some(vec![Identifier {
            image_digest: None,
            image_tag: Some("v1".into()),
        }]),
        next_token: None,
        max_results: Some(100),
        filter: Some(Filter { tag_status: None }),
    };
    println!("{}", serde_json::to_string(&request).unwrap());
    let page: Response = serde_json::from_str(r#"{"imageDetails": [{"imageDigest": "sha256:01"}]}"#).unwrap();
    let tcr: TcrResponse = serde_json::from_str(r#"{"ImageInfoList": [], "TotalCount": 0, "RequestId": "x"}"#).unwrap();
    let jd: JdResult = serde_json::from_str(r#"{"images": [], "totalCount": 0}"#).unwrap();
    println!("{page:?} {tcr:?} {jd:?}");
}
