//! The protobuf messages of Anki's schema 18 that the writer fills in,
//! declared by hand with prost's derive as the reader's are
//! (`formats::anki::proto`, which declares only what it reads): field
//! numbers from Anki's `proto/anki/{notetypes,decks,deck_config}.proto`.
//! Fields left out are the ones a new object has empty or zero.

/// `notetypes.config`: `Notetype.Config`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NotetypeConfig {
    /// 0 normal, 1 cloze.
    #[prost(int32, tag = "1")]
    pub kind: i32,
    #[prost(uint32, tag = "2")]
    pub sort_field_idx: u32,
    #[prost(string, tag = "3")]
    pub css: String,
    #[prost(string, tag = "5")]
    pub latex_pre: String,
    #[prost(string, tag = "6")]
    pub latex_post: String,
    #[prost(message, repeated, tag = "8")]
    pub reqs: Vec<CardRequirement>,
}

/// `Notetype.Config.CardRequirement`: the fields template `card_ord` needs.
#[derive(Clone, PartialEq, prost::Message)]
pub struct CardRequirement {
    #[prost(uint32, tag = "1")]
    pub card_ord: u32,
    /// 0 none, 1 any, 2 all.
    #[prost(int32, tag = "2")]
    pub kind: i32,
    #[prost(uint32, repeated, tag = "3")]
    pub field_ords: Vec<u32>,
}

/// `fields.config`: `Notetype.Field.Config`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct FieldConfig {
    #[prost(string, tag = "3")]
    pub font_name: String,
    #[prost(uint32, tag = "4")]
    pub font_size: u32,
}

/// `decks.common`: `Deck.Common` (collapsed or not, today's counts); a
/// new deck has every field zero, so nothing is declared.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DeckCommon {}

/// `decks.kind`: `Deck.KindContainer`, a normal deck (not a filtered one).
#[derive(Clone, PartialEq, prost::Message)]
pub struct DeckKind {
    #[prost(message, optional, tag = "1")]
    pub normal: Option<NormalDeck>,
}

/// `Deck.Normal`: which options group the deck uses.
#[derive(Clone, PartialEq, prost::Message)]
pub struct NormalDeck {
    #[prost(int64, tag = "1")]
    pub config_id: i64,
    #[prost(string, tag = "4")]
    pub description: String,
}

/// `deck_config.config`: `DeckConfig.Config`, the options group's
/// settings. Anki reads a field left out as zero (no new cards a day, no
/// learning steps), so every field Anki's default group sets is here.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DeckConfigConfig {
    #[prost(float, repeated, tag = "1")]
    pub learn_steps: Vec<f32>,
    #[prost(float, repeated, tag = "2")]
    pub relearn_steps: Vec<f32>,
    #[prost(float, repeated, tag = "4")]
    pub easy_days_percentages: Vec<f32>,
    #[prost(uint32, tag = "9")]
    pub new_per_day: u32,
    #[prost(uint32, tag = "10")]
    pub reviews_per_day: u32,
    #[prost(float, tag = "11")]
    pub initial_ease: f32,
    #[prost(float, tag = "12")]
    pub easy_multiplier: f32,
    #[prost(float, tag = "13")]
    pub hard_multiplier: f32,
    #[prost(float, tag = "15")]
    pub interval_multiplier: f32,
    #[prost(uint32, tag = "16")]
    pub maximum_review_interval: u32,
    #[prost(uint32, tag = "17")]
    pub minimum_lapse_interval: u32,
    #[prost(uint32, tag = "18")]
    pub graduating_interval_good: u32,
    #[prost(uint32, tag = "19")]
    pub graduating_interval_easy: u32,
    /// 0 suspend, 1 tag only.
    #[prost(int32, tag = "21")]
    pub leech_action: i32,
    #[prost(uint32, tag = "22")]
    pub leech_threshold: u32,
    #[prost(uint32, tag = "24")]
    pub cap_answer_time_to_secs: u32,
    #[prost(float, tag = "37")]
    pub desired_retention: f32,
    #[prost(float, tag = "40")]
    pub historical_retention: f32,
    #[prost(bool, tag = "44")]
    pub wait_for_audio: bool,
}

impl DeckConfigConfig {
    /// Anki's default options group (`rslib/src/deckconfig/mod.rs`,
    /// `DeckConfig::default`), the one every new collection has.
    pub fn anki_default() -> DeckConfigConfig {
        DeckConfigConfig {
            learn_steps: vec![1.0, 10.0],
            relearn_steps: vec![10.0],
            easy_days_percentages: vec![1.0; 7],
            new_per_day: 20,
            reviews_per_day: 200,
            initial_ease: 2.5,
            easy_multiplier: 1.3,
            hard_multiplier: 1.2,
            interval_multiplier: 1.0,
            maximum_review_interval: 36_500,
            minimum_lapse_interval: 1,
            graduating_interval_good: 1,
            graduating_interval_easy: 4,
            leech_action: 1,
            leech_threshold: 8,
            cap_answer_time_to_secs: 60,
            desired_retention: 0.9,
            historical_retention: 0.9,
            wait_for_audio: true,
        }
    }
}
