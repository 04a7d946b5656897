//! What a user would write by hand for the same JSON: plain `#[derive(Deserialize)]` structs.

use std::collections::HashMap;

use serde::Deserialize;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct Page {
    pub image_details: Option<Vec<Detail>>,
    pub next_token: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct Detail {
    pub registry_id: Option<String>,
    pub repository_name: Option<String>,
    pub image_digest: Option<String>,
    pub image_tags: Option<Vec<String>>,
    pub image_size_in_bytes: Option<i64>,
    pub image_pushed_at: Option<f64>,
    pub image_scan_status: Option<Scan>,
    pub image_scan_findings_summary: Option<Summary>,
    pub image_manifest_media_type: Option<String>,
    pub artifact_media_type: Option<String>,
    pub last_recorded_pull_time: Option<f64>,
}

#[derive(Deserialize)]
#[allow(dead_code)]
pub struct Scan {
    pub status: Option<String>,
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
#[allow(dead_code)]
pub struct Summary {
    pub image_scan_completed_at: Option<f64>,
    pub vulnerability_source_updated_at: Option<f64>,
    pub finding_severity_counts: Option<HashMap<String, i64>>,
}
