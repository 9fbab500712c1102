//! One file per screen (and the text layout they share). Render only.

pub mod browser;
pub mod help;
pub mod home;
pub mod review;
pub mod stats;
pub mod summary;
pub mod text;
