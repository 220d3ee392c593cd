//! Which Azure service tags contain these IP addresses?
//!
//! ```text
//! cargo run --example lookup -- 20.41.0.241 2603:1030:f05::1
//! ```

use std::net::IpAddr;
use std::process::ExitCode;

fn main() -> ExitCode {
    let snap = azure_service_tags::public();
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.is_empty() {
        eprintln!("usage: lookup IP [IP...]");
        return ExitCode::from(2);
    }
    println!("snapshot: {}", snap.provenance());
    let mut status = ExitCode::SUCCESS;
    for arg in &args {
        let ip: IpAddr = match arg.trim().parse() {
            Ok(ip) => ip,
            Err(_) => {
                eprintln!("lookup: {arg:?} is not an IPv4 or IPv6 address");
                status = ExitCode::from(2);
                continue;
            }
        };
        let tags = snap.tags_containing(ip);
        if tags.len() == 0 {
            println!("{ip}: in no service tag");
            continue;
        }
        println!("{ip}: in {} service tags", tags.len());
        for tag in tags {
            let region = tag.region().map_or("(global)".to_string(), |r| {
                format!(
                    "{} ({})",
                    r.name(),
                    r.display_name().unwrap_or("no display name")
                )
            });
            println!("  {:<48} {region}", tag.name());
        }
        if let Some(hit) = snap.service_match(ip, "AzureMachineLearning") {
            println!(
                "  => an AzureMachineLearning address{}",
                hit.region()
                    .map_or(String::new(), |r| format!(" in {}", r.name()))
            );
        }
    }
    status
}
