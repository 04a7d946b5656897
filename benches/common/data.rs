//! Deterministic, realistic DescribeImages pages for the benchmarks (no randomness crate: a
//! fixed xorshift stream, so every run parses the same bytes).

/// A xorshift64* stream.
pub struct Stream(u64);

impl Stream {
    pub fn new(seed: u64) -> Self {
        Self(seed.max(1))
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }

    pub fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

const MEDIA_TYPES: [&str; 3] = [
    "application/vnd.docker.distribution.manifest.v2+json",
    "application/vnd.oci.image.manifest.v1+json",
    "application/vnd.oci.image.index.v1+json",
];
const SCAN: [&str; 4] = ["COMPLETE", "COMPLETE", "ACTIVE", "FINDINGS_UNAVAILABLE"];
const SEVERITIES: [&str; 5] = ["CRITICAL", "HIGH", "MEDIUM", "LOW", "INFORMATIONAL"];

/// An ECR DescribeImages response body of `images` imageDetails: 0-5 tags each, sha256
/// digests, epoch-second timestamps with fractions, scan status and severity counts, media
/// types, and a nextToken. About 670 KiB for 1,000 images.
pub fn ecr_page(images: usize) -> String {
    let mut s = Stream::new(0x5eed);
    let mut out = String::with_capacity(images * 700);
    out.push_str("{\"imageDetails\":[");
    for i in 0..images {
        if i > 0 {
            out.push(',');
        }
        let digest: String = (0..4).map(|_| format!("{:016x}", s.next())).collect();
        let tags: Vec<String> = (0..s.below(6))
            .map(|t| format!("\"release-{}.{}.{t}\"", s.below(20), s.below(100)))
            .collect();
        let pushed = 1_600_000_000 + s.below(100_000_000);
        let frac = s.below(1000);
        let mut counts = Vec::new();
        for sev in SEVERITIES {
            if s.below(3) > 0 {
                counts.push(format!("\"{sev}\":{}", s.below(40)));
            }
        }
        out.push_str(&format!(
            concat!(
                "{{\"registryId\":\"123456789012\",\"repositoryName\":\"platform/payments-api\",",
                "\"imageDigest\":\"sha256:{digest}\",\"imageTags\":[{tags}],",
                "\"imageSizeInBytes\":{size},\"imagePushedAt\":{pushed}.{frac:03},",
                "\"imageScanStatus\":{{\"status\":\"{scan}\",\"description\":\"The scan was completed successfully.\"}},",
                "\"imageScanFindingsSummary\":{{\"imageScanCompletedAt\":{done}.{frac:03},",
                "\"vulnerabilitySourceUpdatedAt\":{src}.5,\"findingSeverityCounts\":{{{counts}}}}},",
                "\"imageManifestMediaType\":\"{media}\",",
                "\"artifactMediaType\":\"application/vnd.docker.container.image.v1+json\",",
                "\"lastRecordedPullTime\":{pull}.25}}"
            ),
            digest = digest,
            tags = tags.join(","),
            size = 1_000_000 + s.below(900_000_000),
            pushed = pushed,
            frac = frac,
            scan = SCAN[usize::try_from(s.below(4)).unwrap()],
            done = pushed + 60,
            src = pushed - 3600,
            counts = counts.join(","),
            media = MEDIA_TYPES[usize::try_from(s.below(3)).unwrap()],
            pull = pushed + 86_400,
        ));
    }
    out.push_str("],\"nextToken\":\"eyJsYXN0RXZhbHVhdGVkS2V5Ijp7ImltYWdlRGlnZXN0Ijp7IlMiOiJzaGEyNTY6YWJjIn19fQ==\"}");
    out
}
