//! No lookup allocates, not even the first one in the process: a counting global
//! allocator watches this thread while every lookup of the API runs.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::hint::black_box;
use std::net::IpAddr;

struct Counting;

thread_local! {
    static WATCHING: Cell<bool> = const { Cell::new(false) };
    static COUNT: Cell<usize> = const { Cell::new(0) };
}

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if WATCHING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        // SAFETY: `ptr` came from `System.alloc` with this layout.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if WATCHING.with(Cell::get) {
            COUNT.with(|c| c.set(c.get() + 1));
        }
        // SAFETY: forwarded unchanged to the system allocator.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

/// Runs `f` and returns how many allocations it made on this thread.
fn allocations(f: impl FnOnce()) -> usize {
    COUNT.with(|c| c.set(0));
    WATCHING.with(|w| w.set(true));
    f();
    WATCHING.with(|w| w.set(false));
    COUNT.with(Cell::get)
}

#[test]
fn lookups_do_not_allocate() {
    // Parsed before watching: parsing is the caller's business.
    let ips: Vec<IpAddr> = [
        "20.41.0.241",
        "2603:1030:f05::1",
        "192.0.2.1",
        "::ffff:20.41.0.241",
        "::",
    ]
    .iter()
    .map(|s| s.parse().unwrap())
    .collect();
    let n = allocations(|| {
        // The very first use of the snapshot in this process.
        let snap = azure_service_tags::public();
        black_box(snap.change_number());
        black_box(snap.source().file_name());
        black_box(snap.published());
        for &ip in &ips {
            for tag in snap.tags_containing(ip) {
                black_box(tag.name());
                black_box(tag.contains(ip));
                black_box(tag.region().map(|r| r.name()));
            }
            black_box(
                snap.service_match(ip, "AzureMachineLearning")
                    .map(|m| m.region()),
            );
        }
        for name in [
            "AzureMachineLearning.EastUS2",
            "azurecloud",
            "AZURECLOUD.CENTRALFRANCE",
            "nope",
        ] {
            let tag = black_box(snap.tag(name));
            if let Some(tag) = tag {
                black_box(tag.id());
                black_box(tag.network_features().contains("UDR"));
                black_box(tag.ipv4().count());
                black_box(tag.ipv6().next_back());
                black_box(tag.prefixes().count());
            }
        }
        for name in [
            "eastus2",
            "East US 2",
            "EastUS2",
            "centralfrance",
            "nowhere",
            "a/b",
        ] {
            if let Some(region) = black_box(snap.region(name)) {
                black_box(region.paired().map(|p| p.display_name()));
                black_box(snap.regional_tag("AzureMachineLearning", region));
            }
        }
        black_box(snap.tags().count());
        black_box(snap.regions().count());
    });
    assert_eq!(n, 0, "lookups allocated {n} times");
    // Building a matcher allocates; using it must not.
    let matcher = azure_service_tags::public()
        .tag("AzureMachineLearning")
        .unwrap()
        .matcher();
    let n = allocations(|| {
        for &ip in &ips {
            black_box(matcher.contains(ip));
        }
    });
    assert_eq!(n, 0, "matcher lookups allocated {n} times");
    // The batch lookup writes into the caller's buffer, and nowhere else.
    let snap = azure_service_tags::public();
    let mut out = vec![snap.no_tags(); 3];
    let n = allocations(|| {
        black_box(snap.tags_containing_each(&ips, &mut out));
        for found in &out {
            black_box(found.len());
        }
    });
    assert_eq!(n, 0, "the batch lookup allocated {n} times");
    // The counter itself works.
    let n = allocations(|| {
        black_box(vec![1u8; 16]);
    });
    assert_eq!(n, 1);
}

#[test]
fn lookups_on_a_snapshot_built_at_run_time_do_not_allocate() {
    let snap = azure_service_tags::Snapshot::from_data(
        include_str!("../data/public/service-tags.txt"),
        include_str!("../data/public/regions.tsv"),
    )
    .unwrap();
    let ip: IpAddr = "20.41.0.241".parse().unwrap();
    let n = allocations(|| {
        for tag in snap.tags_containing(ip) {
            black_box(tag.name());
            black_box(tag.contains(ip));
        }
        black_box(snap.tag("azuremachinelearning.eastus2"));
        let region = black_box(snap.region("East US 2")).unwrap();
        black_box(snap.regional_tag("AzureMachineLearning", region));
        black_box(snap.service_match(ip, "AzureMachineLearning"));
    });
    assert_eq!(n, 0);
}
