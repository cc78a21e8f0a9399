//! What a trained model is made of: the fitted model, how confident it must be to act, the
//! directory of units and creditors the service screens with, and the card saying where it came
//! from.

use kontera_core::directory::Directory;
use kontera_core::model::CodingModel;

use crate::card::ModelCard;
use crate::policy::Policy;

/// A trained model as saved and loaded. See [`crate::save`] and [`crate::load`].
#[derive(Debug, Clone, PartialEq)]
pub struct Artifact {
    pub model: CodingModel,
    pub policy: Policy,
    /// The master data the training data knew (units, creditors, amount histories).
    pub directory: Directory,
    pub card: ModelCard,
}
