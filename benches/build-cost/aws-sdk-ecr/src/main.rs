//! Builds a DescribeImages input and an image detail with the SDK's types.

use aws_sdk_ecr::operation::describe_images::DescribeImagesInput;
use aws_sdk_ecr::types::ImageDetail;

fn main() {
    let input = DescribeImagesInput::builder()
        .repository_name("team/app")
        .max_results(100)
        .build()
        .unwrap();
    let detail = ImageDetail::builder().image_digest("sha256:01").build();
    println!("{input:?} {detail:?}");
}
