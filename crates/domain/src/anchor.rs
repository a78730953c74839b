//! キャリア・アンカー: the eight Career Anchors (DOMAIN.md: Career Anchors). Role models
//! are tagged with one; the inventory that measures a person's profile builds on them.

use serde::Serialize;

/// One of the eight anchors.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Anchor {
    /// 専門・職能別コンピタンス
    TechnicalFunctional,
    /// 全般管理コンピタンス
    GeneralManagerial,
    /// 自律・独立
    Autonomy,
    /// 保障・安定
    Security,
    /// 起業家的創造性
    Entrepreneurial,
    /// 奉仕・社会貢献
    Service,
    /// 純粋な挑戦
    PureChallenge,
    /// 生活様式
    Lifestyle,
}

impl Anchor {
    pub const ALL: [Anchor; 8] = [
        Anchor::TechnicalFunctional,
        Anchor::GeneralManagerial,
        Anchor::Autonomy,
        Anchor::Security,
        Anchor::Entrepreneurial,
        Anchor::Service,
        Anchor::PureChallenge,
        Anchor::Lifestyle,
    ];

    /// The identifier of DOMAIN.md (also the translation key under `anchor.`).
    pub fn key(self) -> &'static str {
        match self {
            Anchor::TechnicalFunctional => "technical_functional",
            Anchor::GeneralManagerial => "general_managerial",
            Anchor::Autonomy => "autonomy",
            Anchor::Security => "security",
            Anchor::Entrepreneurial => "entrepreneurial",
            Anchor::Service => "service",
            Anchor::PureChallenge => "pure_challenge",
            Anchor::Lifestyle => "lifestyle",
        }
    }

    pub fn parse(key: &str) -> Option<Anchor> {
        Anchor::ALL.into_iter().find(|a| a.key() == key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_anchor_reads_back_from_its_key() {
        for a in Anchor::ALL {
            assert_eq!(Anchor::parse(a.key()), Some(a));
        }
        assert_eq!(Anchor::parse("money"), None);
    }
}
