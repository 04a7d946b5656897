//! Members whose wire names differ from their keys travel under their wire names: in the path
//! (the template names them by key; a wire name may even be another member's key), the query,
//! a header and the body. A header value with CR/LF is refused at run time, never sent.
#![deny(warnings)]

crspec_macros::include_spec!("../../../../tests/fixtures/wire_names.yaml");

use crspec_runtime::wire::{Endpoint, RequestError};

fn main() {
    assert_eq!(wired::GetImage::PATH, "/v1/{repositoryName}/images/{repository}");
    let request = wired::GetImageRequest::builder()
        .repository("team/app")
        .tag("v1")
        .limit(5)
        .token("secret")
        .note("n")
        .build()
        .unwrap();
    let http = request.to_http(&Endpoint::region("us-east-1")).unwrap();
    assert_eq!(
        http.uri().to_string(),
        "https://api.us-east-1.example.com/v1/team%2Fapp/images/v1?maxResults=5"
    );
    assert_eq!(http.headers()["X-Session-Token"], "secret");
    assert_eq!(http.body().as_slice(), br#"{"Note":"n"}"#);

    let injected = wired::GetImageRequest {
        token: Some("a\r\nX-Injected: 1".to_owned()),
        ..request
    };
    match injected.to_http(&Endpoint::region("us-east-1")) {
        Err(RequestError::Http(_)) => {}
        other => panic!("a header value with CR/LF was not refused: {other:?}"),
    }
}
