//! The made-up fifth provider works like the four: builders, validation, enums, errors.

use crspec_downstream_example::acme::{
    Artifact, ArtifactKind, ArtifactPage, ListArtifacts, ListArtifactsError, ListArtifactsRequest,
};
use crspec_runtime::Rule;

#[test]
fn a_valid_request_builds_and_serializes_with_wire_names() {
    let request = ListArtifactsRequest::builder()
        .project("team-a")
        .repository("web/app")
        .n(500)
        .kind(ArtifactKind::Chart)
        .build()
        .unwrap();
    assert_eq!(
        serde_json::to_value(&request).unwrap(),
        serde_json::json!({"project": "team-a", "repository": "web/app", "n": 500, "kind": "chart"})
    );
    assert_eq!(ListArtifactsRequest::DEFAULT_N, 50);
    assert_eq!(ListArtifacts::PAGINATION, "marker");
    assert_eq!(
        ListArtifacts::PATH,
        "/api/v2/projects/{project}/repositories/{repository}/artifacts"
    );
}

#[test]
fn every_violation_is_reported() {
    let err = ListArtifactsRequest::builder()
        .project("Team_A")
        .n(0)
        .kind("bundle")
        .build()
        .unwrap_err();
    let rules: Vec<(&str, &Rule)> = err
        .violations()
        .iter()
        .map(|v| (v.path.as_str(), &v.rule))
        .collect();
    assert_eq!(rules.len(), 4, "{err}");
    assert!(matches!(rules[0], ("project", Rule::Pattern { .. })));
    assert!(matches!(rules[1], ("repository", Rule::Required)));
    assert!(matches!(rules[2], ("n", Rule::Range { .. })));
    assert!(matches!(rules[3], ("kind", Rule::Enum { .. })));
}

#[test]
fn responses_parse_and_keep_unknown_kinds() {
    let page: ArtifactPage = serde_json::from_str(
        r#"{"artifacts":[{"digest":"sha256:1","tag":"v1","size":10,"pushed":"2024-05-01T10:00:00Z","kind":"wasm"}]}"#,
    )
    .unwrap();
    let Artifact {
        tag,
        kind,
        pushed_at,
        ..
    } = &page.artifacts[0];
    assert_eq!(tag, "v1");
    assert_eq!(kind, &Some(ArtifactKind::Unknown("wasm".into())));
    assert_eq!(pushed_at.unwrap().get().year(), 2024);
    assert_eq!(
        serde_json::to_value(&page).unwrap()["artifacts"][0]["kind"],
        "wasm"
    );
}

#[test]
fn errors_by_code() {
    let e = ListArtifactsError::from_code("TOOMANYREQUESTS", Default::default());
    assert!(e.is_retryable());
    assert_eq!(e.http_status(), Some(429));
    let e = ListArtifactsError::from_code("UNSUPPORTED", Default::default());
    assert_eq!(e.code(), "UNSUPPORTED");
    assert!(matches!(e, ListArtifactsError::Unknown(_)));
}

#[test]
fn marker_pagination_carries_the_last_tag_and_stops_on_a_short_page() {
    use crspec_runtime::wire::Paginated;
    let artifact = |tag: &str| {
        Artifact::builder()
            .digest(format!("sha256:{tag}"))
            .tag(tag)
            .build()
            .unwrap()
    };
    let page = |artifacts: Vec<Artifact>| {
        ArtifactPage::builder()
            .artifacts(artifacts)
            .build()
            .unwrap()
    };
    let first = ListArtifactsRequest::builder()
        .project("team-a")
        .repository("web")
        .n(2)
        .build()
        .unwrap();
    let full = page(vec![artifact("a"), artifact("b")]);
    let next = first.next_page(&full).unwrap();
    assert_eq!(next.last.as_deref(), Some("b"));
    assert_eq!(next.n, Some(2));
    // The same marker again would loop: stop.
    assert!(next.next_page(&full).is_none());
    // A short page is the last one.
    let short = page(vec![artifact("c")]);
    assert!(next.next_page(&short).is_none());
    assert!(first.next_page(&page(vec![])).is_none());
}

#[test]
fn the_wire_of_a_provider_defined_only_in_a_spec() {
    use crspec_runtime::http;
    use crspec_runtime::wire::{Endpoint, ResponseError};
    let request = ListArtifactsRequest::builder()
        .project("team-a")
        .repository("web/app")
        .kind(ArtifactKind::Chart)
        .build()
        .unwrap()
        .to_http(&Endpoint::region("eu-1"))
        .unwrap();
    assert_eq!(request.method(), http::Method::GET);
    assert_eq!(
        request.uri().to_string(),
        "https://eu-1.hub.acme.example/api/v2/projects/team-a/repositories/web%2Fapp/artifacts?kind=chart"
    );
    // Errors arrive as a list: `errors.0.code`.
    let response = http::Response::builder()
        .status(429)
        .header("X-Request-Id", "q1")
        .body(r#"{"errors":[{"code":"TOOMANYREQUESTS","message":"wait"}]}"#)
        .unwrap();
    let err = ListArtifacts::parse_response(&response).unwrap_err();
    let ResponseError::Service(e) = err else {
        panic!("{err:?}")
    };
    assert!(matches!(e, ListArtifactsError::Toomanyrequests(_)), "{e:?}");
    assert_eq!(e.details().request_id.as_deref(), Some("q1"));
}

#[test]
fn summaries_map_the_one_tag_of_an_artifact() {
    let request = ListArtifactsRequest::builder()
        .project("team")
        .repository("app")
        .build()
        .unwrap();
    let page: ArtifactPage = serde_json::from_str(
        r#"{"artifacts":[
            {"digest":"sha256:1","tag":"v1","size":10,"pushed":"2024-05-01T10:00:00Z","kind":"image"},
            {"digest":"sha256:2","tag":"a-tag-longer-than-twenty-three-bytes","kind":"chart"}
        ]}"#,
    )
    .unwrap();
    let summaries = ListArtifacts::summaries(&request, &page);
    assert_eq!(summaries.len(), 2);
    assert_eq!(summaries[0].tags, ["v1"]);
    assert_eq!(summaries[1].tags, ["a-tag-longer-than-twenty-three-bytes"]);
    assert_eq!(summaries[0].repository.as_deref(), Some("app"));
    assert_eq!(summaries[0].size_bytes, Some(10));
    assert_eq!(summaries[1].media_type.as_deref(), Some("chart"));
    assert_eq!(summaries[0].pushed_at.unwrap().year(), 2024);
}

#[test]
fn a_response_structure_is_built_without_a_struct_literal() {
    // Generated structures are `#[non_exhaustive]`: outside the module's crate they are built
    // with their builders. A response structure has no constraints to check; its builder
    // reports every required member that was not set, by wire name.
    let err = Artifact::builder().size(7).build().unwrap_err();
    let paths: Vec<String> = err.violations().iter().map(|v| v.path.clone()).collect();
    assert_eq!(paths, ["digest", "tag"]);
    let a = Artifact::builder()
        .digest("sha256:x")
        .tag("v1")
        .kind(ArtifactKind::Chart)
        .build()
        .unwrap();
    assert_eq!(
        (a.digest.as_str(), a.tag.as_str(), a.size),
        ("sha256:x", "v1", None)
    );
    assert_eq!(a.kind, Some(ArtifactKind::Chart));
}

#[test]
fn the_specs_generation_settings_shape_the_module() {
    use std::collections::HashSet;

    use crspec_downstream_example::Labels;

    // `rust_name: ArtifactPage` names the response type (and its builder); `pushed` is the
    // field `pushed_at`, its wire name unchanged; `Labels` is this crate's own type, read and
    // written by serde where the generated one would be.
    let text = r#"{"artifacts":[
        {"digest":"sha256:1","tag":"v1","pushed":"2024-05-01T10:00:00Z"},
        {"digest":"sha256:1","tag":"v1","pushed":"2024-05-01T10:00:00Z"},
        {"digest":"sha256:2","tag":"v2"}
    ],"labels":{"team":"web","tier":"gold"}}"#;
    let page: ArtifactPage = serde_json::from_str(text).unwrap();
    let labels: &Labels = page.labels.as_ref().unwrap();
    assert_eq!(labels.team(), Some("web"));
    assert_eq!(labels.0.len(), 2);
    let back = serde_json::to_value(&page).unwrap();
    assert_eq!(back["labels"]["tier"], "gold");
    assert_eq!(back["artifacts"][0]["pushed"], "2024-05-01T10:00:00Z");
    assert!(back["artifacts"][0].get("pushed_at").is_none());

    // `derives: [Hash]`: artifacts go in a set; the two equal ones are one.
    let set: HashSet<&Artifact> = page.artifacts.iter().collect();
    assert_eq!(set.len(), 2);

    // The builder of a renamed type is named after it, and takes the replaced type.
    let built = ArtifactPage::builder()
        .artifacts(page.artifacts.clone())
        .labels(Labels::default())
        .build()
        .unwrap();
    assert_eq!(built.artifacts, page.artifacts);
    assert_eq!(built.labels, Some(Labels::default()));
}
