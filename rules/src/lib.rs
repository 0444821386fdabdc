//! `dpm-rules`: what Microsoft Data Protection Manager allows, as a library.
//!
//! The model of a protection topology ([`Topology`]), the rules with stable
//! ids ([`check`], [`Checker::precheck`] for live editing), the copy
//! inventory ([`inventory`]), the failover planner ([`plan`]), a layered
//! layout, and the file formats (scenario JSON, the seeds' Markdown table
//! and the same table as TSV or CSV, Mermaid, Graphviz DOT, SVG, share
//! links).
//!
//! Pure Rust with no I/O: the app (compiled to wasm) and `dpm-check` both
//! ask this crate every question about DPM, so they cannot disagree. Nothing
//! here panics on any input; bad input is an [`InputError`] that says where.
//!
//! Where things are:
//! - a rule's id, title, severity and the documentation sentence behind it:
//!   `rules.rs` ([`Rule`]); how it is found: `check/anchored.rs` (one
//!   function per rule, named after its id, for the rules about one server
//!   and its neighbours), `check/versions.rs` (versions across a group),
//!   `check/mod.rs` (the whole-drawing rules, the order of findings, and
//!   [`Checker::precheck`]);
//! - the model: `model.rs` (servers, protections, names and how they
//!   compare), `patch.rs` (what changed between two drawings, for undo),
//!   `release.rs` (DPM builds), `estate.rs` (hosts, sites, what
//!   goes down with what), `roles.rs`, `inventory.rs` (where the copies are);
//! - failover: `failover/` (`plan.rs` what a failure takes and the options,
//!   `options.rs`, `order.rs` the recovery order, `steps.rs` each option's
//!   steps), `risk.rs` (single points of failure and their fixes);
//! - exercises: `exercise/` (`judge.rs`, `refusal.rs`, `file.rs`, `link.rs`,
//!   `form.rs`), `exercises.rs` (the built-in ones);
//! - files: `scenario.rs` (JSON), `json.rs` (its parser), `table.rs` (the
//!   seeds' Markdown table, and TSV or CSV as people copy it), `share.rs`
//!   (links), `export.rs` (Mermaid, DOT, SVG), `fit.rs` (names and captions
//!   that fit a box, by measurement), `layout.rs`, `route.rs` (arrows routed
//!   around the servers' boxes, for the canvas and the SVG export alike),
//!   `twin.rs` (the Servers list's text), `import/` (the estate as DPM's own
//!   PowerShell reports it: `dpm-inventory/1` files and data source CSVs
//!   merged into one topology and an import report: `source.rs` reads a
//!   file, `csv.rs` splits CSV, `merge.rs` decides what each row means,
//!   `generate.rs` makes large estates for the benchmark);
//! - tests as data: `tests/cases` (scenarios with their expected findings,
//!   failures and risks, snapshots in `tests/snapshots`), `tests/bad`
//!   (inputs every reader must refuse), `tests/properties.rs`,
//!   `tests/inventory` (sample estates to import, with their reports in
//!   `tests/snapshots/inventory-*.txt`, and `bad/` files the import must
//!   refuse or report), `tests/import.rs`.
//!
//! ```
//! use dpm_rules::{check, from_table};
//!
//! let t = from_table("|Server|Protecting|Protected by|\n|---|---|---|\n|DS1|PS1|\\-|\n|DS2|PS1|\\-|\n").unwrap();
//! let findings = check(&t);
//! assert_eq!(findings[0].rule.id(), "protected-twice");
//! ```

// `f64::clamp` asserts its bounds with a message that formats floats with
// `Debug`, which links Rust's whole float formatter into the wasm (9.3 KB
// gzip of the app's bundle). `max(lo).min(hi)` says the same without it.
#![allow(clippy::manual_clamp)]

mod by_server;
mod check;
mod edit;
mod estate;
mod exercise;
pub mod exercises;
mod export;
mod failover;
mod fit;
mod generate;
mod geometry;
pub mod hash;
pub mod import;
mod inventory;
mod json;
mod layout;
mod model;
mod patch;
pub mod presets;
mod release;
mod risk;
mod roles;
mod route;
mod rules;
mod scenario;
mod share;
mod sort;
mod table;
mod twin;

pub use check::{brought, brought_over, check, Checked, Checker, Finding, Summary};
pub use edit::{
    as_kept, extract, free_place, make_room, paste, remove_servers, rename_making_room, snap, GRID,
    ROOM,
};
pub use estate::{
    down_with, host_cycle, hosts_of, names_a_site, refuse_host, site_called, site_members, sites,
    AlsoDown, Down, DownHow,
};
pub use exercise::{
    evaluate, exercise_from_json, exercise_from_link, exercise_to_json, exercise_to_link,
    goal_from_form, looks_like_exercise_link, out_of_reach, params, read_exercise, refusal,
    rule_choices, Allow, Check, Exercise, Goal, GoalState, Param, RoleWant, CHECKS,
    EXERCISE_FORMAT, OPTION_KINDS,
};
pub use export::{
    badge_symbol, is_web_address, svg_style, to_dot, to_mermaid, to_svg, to_svg_bare, truncate,
    viewer_page, worst, xml_escape, SvgOptions, Theme, VIEWER_PAGE_ROOT,
};
pub use failover::{
    plan, plan_outage, Action, Affected, DbCopy, Destination, Flow, OptionKind, OrderedStep, Plan,
    RecoveryOption, Reduced, Step, GROUP_FROM,
};
pub use fit::{
    box_width, boxes_bounds, fit_caption, fit_name, fit_name_to, fit_text, host_name, name_room,
    text_width, CAPTION_PX, NAME_PX, NODE_W_MAX, PRESENT_NAME_PX, TEXT_ROOM, TEXT_X,
};
pub use generate::{generate, generate_estate};
pub use geometry::{
    arrow, arrow_sized, arrows_under_servers, bend_between, bend_for, fixed, layout_crossings, num,
    site_regions, Arrow, SiteRegion, SITE_LABEL_H, SITE_PAD,
};
pub use inventory::{
    held_by, held_by_all, held_by_some, inventory, sources_of, Copies, DataSource, Holding, Part,
};
pub use layout::{apply_layout, layout, positions, GAP_X, LAYER_H, MARGIN, NODE_H, NODE_W};
pub use model::{
    fold_case, natural_cmp, same_name, validate_name_form, BackupMedium, Build, DpmVersion, Kind,
    Link, NameError, Point, Protection, Rollup, Server, ServerId, Topology, Version, VssWriter,
    Workload, MAX_NAME_CHARS,
};
pub use patch::{diff, Patch};
pub use release::{same_rollup, BUILDS};
pub use risk::{fixes, risk, risk_and_fixes, why_no_fix, FactChange, Fix, Risk, SinglePoint};
// The definitions the fast paths are held to, for the property tests.
#[doc(hidden)]
pub use risk::{fixes_by_definition, removes_by_definition, removes_each};
pub use roles::{all_roles, roles, Roles};
pub use route::{
    is_clear, route, route_bent, route_in, route_with_footprint, segment_hits_box, Footprint,
    Limit, Obstacles, CLEARANCE,
};
pub use rules::{and_list, thousands, Rule, Severity, Source};
pub use scenario::{
    format_for, from_json, to_json, uses_version_2, InputError, FORMAT, FORMAT_2, READABLE_FORMATS,
};
pub use share::{from_share, looks_like_share_link, seal, to_share};
pub use sort::sort_by;
pub use table::{
    from_table, looks_like_table, table_rows, table_rows_first, text_blocks, to_table, RowRole,
    TableRow, TextBlock,
};
pub use twin::{twin, twin_of, twin_text, Entry};

/// The largest input the readers accept, in bytes. A scenario of 10,000
/// servers is well under it; anything larger is a mistake (a wrong file, a
/// runaway paste), refused before it costs the user a frozen tab.
pub const MAX_INPUT_BYTES: usize = 16 * 1024 * 1024;

/// The most servers a drawing may hold. Twice the largest estate the app is
/// built to stay fluid with; a file of more is refused at once with a
/// message, rather than freezing the tab while it is checked.
pub const MAX_SERVERS: usize = 20_000;

/// Reads scenario JSON, a table (Markdown, tab-separated or CSV) or a
/// share link, told apart by content.
pub fn read(text: &str) -> Result<Topology, InputError> {
    if text.len() > MAX_INPUT_BYTES {
        return Err(InputError::new(format!(
            "the input is {} bytes; the largest this reads is {} bytes",
            text.len(),
            MAX_INPUT_BYTES
        )));
    }
    let body = text.trim_start_matches('\u{feff}');
    let first = body.trim_start().chars().next();
    match first {
        Some('{') | Some('[') => from_json(body),
        None => Err(InputError::new(
            "the input is empty: expected scenario JSON or a table",
        )),
        Some('|') => from_table(body),
        _ if looks_like_share_link(body) => from_share(body),
        _ if looks_like_table(body) => from_table(body),
        _ => Err(InputError::new(
            "expected scenario JSON (starting with \"{\"), a table with the columns Server, Protecting and Protected by (Markdown, tab-separated or CSV), or a DPM Sketch share link",
        )),
    }
}
