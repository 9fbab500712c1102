//! Hostile markup through `formats::html::to_text`, one 1 MiB field each
//! (the field limit), timed once cold and once warm. Not a criterion
//! bench: each case is one call, and what matters is that none of them is
//! far slower than the others (the parser's limits in
//! `src/formats/html/parse.rs` are set from these numbers).
//!
//! `cargo bench --bench html_hostile [-- NAME_SUBSTRING]`

// A benchmark is test code: a panic is a failed run, not a user's error.
#![allow(clippy::unwrap_used)]

use std::time::Instant;

const MIB: usize = 1 << 20;

/// `unit` repeated to fill about `budget` bytes.
fn fill(unit: &str, budget: usize) -> String {
    unit.repeat(budget / unit.len())
}

fn attributes(n: usize) -> String {
    (0..n).map(|i| format!(" a{i:x}")).collect()
}

fn cases() -> Vec<(&'static str, String)> {
    let note = "<div>Die <b>Aorta</b> entspringt dem <i>linken</i> Ventrikel.</div><div><br></div>\
                <ul><li>Pars ascendens</li><li>Arcus aortae</li></ul><img src=\"paste-1.jpg\">\
                <table><tr><td>a</td><td>b</td></tr></table>";
    let formatting: String = (0..60).map(|i| format!("<b class=c{i}>")).collect();
    vec![
        ("real-looking notes", fill(note, MIB)),
        ("plain text", fill("Das ist ein Satz. ", MIB)),
        (
            "entities",
            fill("&amp;&nbsp;&CounterClockwiseContourIntegral;&#x1F600;", MIB),
        ),
        (
            "200 000 nested <div>s",
            "<div>".repeat(200_000) + "x" + &"</div>".repeat(200_000),
        ),
        ("unclosed <div<div…", "<div".repeat(100_000)),
        ("nested <span>", fill("<span>", MIB)),
        ("nested <i><b><u><s>", fill("<i><b><u><s>", MIB)),
        ("nested <table><tr><td>", fill("<table><tr><td>", MIB)),
        ("nested <ul><li>", fill("<ul><li>", MIB)),
        ("nested <svg><g>", format!("<svg>{}", fill("<g>", MIB))),
        (
            "one tag, 150 000 attributes",
            format!("<a{}>x", attributes(150_000)),
        ),
        (
            "tags of 2000 attributes",
            fill(&format!("<i{}>x</i>", attributes(2000)), MIB),
        ),
        (
            "tags of 20 attributes",
            fill(&format!("<i{}>x</i>", attributes(20)), MIB),
        ),
        (
            "100 <span>s, then </x>",
            "<span>".repeat(100) + &fill("</x>", MIB),
        ),
        (
            "120 <div>s, then <div></div>",
            "<div>".repeat(120) + &fill("<div></div>", MIB),
        ),
        (
            "60 <b>s, then <p>x</p> (reconstructs)",
            formatting + &fill("<p>x</p>", MIB),
        ),
        (
            "<b><div>x</b> (adoption agency)",
            fill("<b><div>x</b>", MIB),
        ),
        ("flat <p>x", fill("<p>x", MIB)),
        ("flat <li>x", fill("<li>x", MIB)),
        ("flat <a>x", fill("<a>x", MIB)),
        ("a < b", fill("a < b ", MIB)),
        ("a<b (no >)", fill("a<b ", MIB)),
        ("a comment", format!("<!--{}-->", "word ".repeat(MIB / 5))),
        (
            "<table> and text",
            format!("<table>{}", "word ".repeat(MIB / 5)),
        ),
    ]
}

fn main() {
    let filter = std::env::args()
        .skip(1)
        .find(|a| !a.starts_with('-'))
        .unwrap_or_default();
    for (name, input) in cases() {
        if !name.contains(filter.as_str()) {
            continue;
        }
        let mut times = [0.0; 2];
        let mut out = 0;
        for time in &mut times {
            let start = Instant::now();
            out = recall::formats::html::to_text(&input).len();
            *time = start.elapsed().as_secs_f64() * 1e3;
        }
        println!(
            "{name:<40} {:>8} B in {:>8} B out {:>8.1} ms {:>8.1} ms",
            input.len(),
            out,
            times[0],
            times[1]
        );
    }
}
