//! Exercise links (`#x=...`): the starting scenario in the share links'
//! binary form, the rest of the exercise as compact JSON, and a checksum.

use super::file::{read_json, write};
use super::Exercise;
use crate::scenario::InputError;
use crate::share;

/// The version byte of an exercise link.
const LINK_VERSION: u8 = 1;
/// The version byte of an exercise link whose start uses the facts of real
/// estates (its scenario in the share links' version 2 form).
const LINK_VERSION_2: u8 = 2;

// ---------------------------------------------------------------- links

/// The payload of an exercise link (what follows `#x=`): the version byte,
/// the starting scenario in the share links' binary form, the rest of the
/// exercise as compact JSON, and a CRC-32, in base64url.
pub fn exercise_to_link(ex: &Exercise) -> String {
    let v2 = share::needs_version_2(&ex.start);
    let mut b = vec![if v2 { LINK_VERSION_2 } else { LINK_VERSION }];
    let start = share::encode(&ex.start, v2);
    share::varint(&mut b, start.len() as u64);
    b.extend(start);
    // The JSON without its indentation: the reader takes either.
    let text: String = write(ex, false)
        .lines()
        .map(str::trim_start)
        .collect::<Vec<_>>()
        .join("");
    b.extend(text.as_bytes());
    share::seal(b)
}

/// Reads an exercise link's payload, or a whole link or text holding one.
pub fn exercise_from_link(link: &str) -> Result<Exercise, InputError> {
    let link = link.trim();
    let fragment = link.rsplit_once('#').map_or(link, |(_, f)| f);
    let payload = fragment
        .split('&')
        .find_map(|part| part.strip_prefix("x="))
        .unwrap_or(fragment);
    let damaged = |why: &str| {
        InputError::new(format!(
            "this exercise link is damaged ({why}): was it copied whole? Ask the trainer for the link again, or for the exercise file"
        ))
    };
    let b = share::from_base64url(payload)
        .map_err(|e| InputError::new(e.message.replacen("share link", "exercise link", 1)))?;
    if b.len() < 6 {
        return Err(damaged("it is too short to hold an exercise"));
    }
    let (body, sum) = b.split_at(b.len() - 4);
    // The checksum first: it covers the version byte, so a link from a
    // newer build passes it and is told apart from a damaged one.
    if share::crc32(body).to_le_bytes() != sum {
        return Err(damaged("its checksum does not match"));
    }
    if body[0] != LINK_VERSION && body[0] != LINK_VERSION_2 {
        return Err(InputError::new(format!(
            "this exercise link was made by a newer or unknown version of DPM Sketch (link version {}); this build reads versions {LINK_VERSION} and {LINK_VERSION_2}",
            body[0]
        )));
    }
    let mut i = 1;
    let mut n: u64 = 0;
    for shift in (0..63).step_by(7) {
        let c = *body.get(i).ok_or_else(|| damaged("it ends early"))?;
        i += 1;
        n |= u64::from(c & 0x7f) << shift;
        if c & 0x80 == 0 {
            break;
        }
    }
    let end = i
        .checked_add(n as usize)
        .filter(|&e| e <= body.len())
        .ok_or_else(|| damaged("it ends early"))?;
    let start = share::decode(&body[i..end], body[0] == LINK_VERSION_2)
        .map_err(|m| InputError::new(format!("this exercise link {m}")))?;
    let text = std::str::from_utf8(&body[end..]).map_err(|_| damaged("its text is not UTF-8"))?;
    read_json(text, Some(start)).map_err(|e| {
        InputError::new(format!(
            "this exercise link does not hold a valid exercise: {e}"
        ))
    })
}

/// True when `text` looks like an exercise link or its fragment.
pub fn looks_like_exercise_link(text: &str) -> bool {
    let t = text.trim();
    t.contains("#x=") || t.starts_with("x=")
}
