//! The areas a query may see: every read and write of the review workspace filters by one in SQL,
//! so a controller's query cannot return another area's rows.

use sqlx::Any;
use sqlx::any::AnyArguments;
use sqlx::query::Query;

use crate::codec::placeholders;

/// The areas a caller may see.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum AreaScope {
    /// Every area, including decisions with no area.
    All,
    /// Only these areas; decisions with no area are never included. An empty list sees nothing.
    Only(Vec<String>),
}

impl AreaScope {
    /// Whether a decision of this area (`None`: no area) is in scope; the same rule the SQL
    /// filters apply.
    pub fn includes(&self, area: Option<&str>) -> bool {
        match (self, area) {
            (AreaScope::All, _) => true,
            (AreaScope::Only(areas), Some(area)) => areas.iter().any(|a| a == area),
            (AreaScope::Only(_), None) => false,
        }
    }

    /// An SQL condition that `column` is in scope, with its placeholders numbered from `$first`;
    /// bind the areas with [`AreaScope::bind`] after the statement's other parameters.
    ///
    /// `column` must be a column name from the store's own code, never caller input: it is
    /// pasted into the statement.
    pub(crate) fn condition(&self, column: &str, first: usize) -> String {
        match self {
            AreaScope::All => "1 = 1".to_owned(),
            AreaScope::Only(areas) if areas.is_empty() => "1 = 0".to_owned(),
            // `column IN (…)` is never true for NULL, so decisions without an area stay out.
            AreaScope::Only(areas) => {
                format!("{column} IN ({})", placeholders(first, areas.len()))
            }
        }
    }

    /// Binds the areas of [`AreaScope::condition`]'s placeholders, in order.
    pub(crate) fn bind<'q>(
        &self,
        mut query: Query<'q, Any, AnyArguments>,
    ) -> Query<'q, Any, AnyArguments> {
        if let AreaScope::Only(areas) = self {
            for area in areas {
                query = query.bind(area.clone());
            }
        }
        query
    }
}
