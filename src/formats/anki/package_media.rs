//! The media files of an Anki package. The `media` entry maps zip members
//! to names: JSON (`{"0": "cat.jpg"}`, member → name) in legacy packages;
//! in current ones (`collection.anki21b`) zstd-compressed protobuf
//! `MediaEntries`, where entry *i* is member `i`, itself zstd-compressed
//! (Anki's `rslib/src/import_export/package/media.rs`).
//!
//! Only files some card names are taken (a shared deck's media folder is
//! often a whole collection's). A name with a path separator, `..` or a
//! control character is refused (it stays in the card as a name only);
//! sizes are checked as declared and as inflated (`formats::media`).

use std::collections::{HashMap, HashSet};
use std::io::{Read, Seek};

use prost::Message;

use super::proto::MediaEntries;
use crate::domain::DeckDraft;
use crate::domain::media::{named_by, unsafe_package_name};
use crate::formats::media::MediaBundle;

/// One file as the media map lists it.
pub(super) struct Member {
    /// The zip member holding it.
    pub member: String,
    pub name: String,
    /// The size the map declares (current packages; 0 in legacy ones).
    declared: u64,
}

/// What a package's media gave: the files, and warnings on those left out.
pub(super) struct PackageMedia {
    pub bundle: Option<MediaBundle>,
    pub warnings: Vec<String>,
}

/// Reads the media `decks` refer to from the package; `map` is the raw
/// `media` entry (`None`: the package has none).
pub(super) fn read<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    map: Option<Vec<u8>>,
    current: bool,
    decks: &[DeckDraft],
    map_limit: u64,
) -> PackageMedia {
    let mut out = PackageMedia {
        bundle: None,
        warnings: Vec::new(),
    };
    let Some(map) = map else {
        return out;
    };
    let members = match members(&map, current, map_limit) {
        Ok(members) => members,
        Err(e) => {
            out.warnings.push(e);
            return out;
        }
    };
    let wanted = named_by(decks);
    let present: HashSet<&str> = members.iter().map(|m| m.name.as_str()).collect();
    let absent = wanted
        .iter()
        .filter(|n| !present.contains(n.as_str()))
        .count();
    if absent > 0 {
        out.warnings.push(format!(
            "{absent} media file(s) the cards name are not in the package: \
             they show as their names"
        ));
    }
    let mut bundle = match MediaBundle::new() {
        Ok(bundle) => bundle,
        Err(e) => {
            out.warnings.push(e);
            return out;
        }
    };
    for m in members.iter().filter(|m| wanted.contains(&m.name)) {
        if let Some(why) = unsafe_package_name(&m.name) {
            out.warnings.push(format!(
                "media file {:?} refused ({why}): its cards show its name",
                m.name
            ));
            continue;
        }
        if let Err(e) = take(zip, m, current, &mut bundle) {
            out.warnings.push(e);
        }
    }
    if !bundle.files().is_empty() {
        out.bundle = Some(bundle);
    }
    out
}

/// Copies one member into the bundle, inflating a current package's zstd.
fn take<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    m: &Member,
    current: bool,
    bundle: &mut MediaBundle,
) -> Result<(), String> {
    let entry = match zip.by_name(&m.member) {
        Ok(entry) => entry,
        Err(e) => return Err(format!("media file {:?} ({}): {e}", m.name, m.member)),
    };
    if current {
        // The zip's size is the compressed one, the map's the file's: the
        // file is at least as big as either.
        let declared = m.declared.max(entry.size());
        let decoder = ruzstd::decoding::StreamingDecoder::new(entry)
            .map_err(|e| format!("media file {:?} is not zstd data ({e})", m.name))?;
        bundle.add(&m.name, declared, decoder)
    } else {
        bundle.add(&m.name, entry.size(), entry)
    }
}

/// The media map, as (member, name, declared size).
pub(super) fn members(raw: &[u8], current: bool, limit: u64) -> Result<Vec<Member>, String> {
    if current {
        let bytes = super::package::unzstd(raw, "media", limit)?;
        let entries = MediaEntries::decode(bytes.as_slice())
            .map_err(|e| format!("its media list is damaged ({e}): no media imported"))?;
        return Ok(entries
            .entries
            .into_iter()
            .enumerate()
            .map(|(i, e)| Member {
                member: i.to_string(),
                name: e.name,
                declared: u64::from(e.size),
            })
            .collect());
    }
    let map: HashMap<String, String> = serde_json::from_slice(raw)
        .map_err(|e| format!("its media list is not Anki's JSON map ({e}): no media imported"))?;
    let mut members: Vec<Member> = map
        .into_iter()
        .map(|(member, name)| Member {
            member,
            name,
            declared: 0,
        })
        .collect();
    members.sort_by(|a, b| a.name.cmp(&b.name));
    Ok(members)
}
