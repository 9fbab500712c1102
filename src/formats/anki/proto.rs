//! The few protobuf messages of Anki's current formats that recall reads,
//! declared by hand with prost's derive (field numbers from Anki's
//! `proto/anki/*.proto`): no build script, no protoc. Unknown fields are
//! skipped by prost, so newer Anki versions still decode.

/// `meta` in a package: which collection file it holds.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PackageMetadata {
    /// 1: `collection.anki2`, 2: `collection.anki21`, 3: `collection.anki21b`
    /// with a protobuf media map and zstd-compressed media.
    #[prost(int32, tag = "1")]
    pub version: i32,
}

/// The media map of a current package (`media`, zstd-compressed).
#[derive(Clone, PartialEq, prost::Message)]
pub struct MediaEntries {
    #[prost(message, repeated, tag = "1")]
    pub entries: Vec<MediaEntry>,
}

#[derive(Clone, PartialEq, prost::Message)]
pub struct MediaEntry {
    #[prost(string, tag = "1")]
    pub name: String,
    #[prost(uint32, tag = "2")]
    pub size: u32,
    #[prost(bytes = "vec", tag = "3")]
    pub sha1: Vec<u8>,
}

/// `notetypes.config` (schema 18).
#[derive(Clone, PartialEq, prost::Message)]
pub struct NotetypeConfig {
    /// 0 normal, 1 cloze.
    #[prost(int32, tag = "1")]
    pub kind: i32,
    #[prost(string, tag = "3")]
    pub css: String,
}

/// `templates.config` (schema 18).
#[derive(Clone, PartialEq, prost::Message)]
pub struct TemplateConfig {
    #[prost(string, tag = "1")]
    pub q_format: String,
    #[prost(string, tag = "2")]
    pub a_format: String,
}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    #[test]
    fn messages_round_trip_and_skip_unknown_fields() {
        let config = TemplateConfig {
            q_format: "{{Front}}".into(),
            a_format: "{{FrontSide}}<hr id=answer>{{Back}}".into(),
        };
        let mut bytes = config.encode_to_vec();
        // Field 8 (varint 5), as a newer Anki writes it.
        bytes.extend([0x40, 0x05]);
        assert_eq!(TemplateConfig::decode(bytes.as_slice()).unwrap(), config);
        assert_eq!(NotetypeConfig::decode(&[0x08, 0x01][..]).unwrap().kind, 1);
        assert!(NotetypeConfig::decode(&[0xff; 20][..]).is_err());
    }
}
