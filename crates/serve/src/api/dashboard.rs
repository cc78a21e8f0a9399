//! `GET /v1/dashboard`: the trust dashboard's figures as JSON, within the caller's areas (see
//! [`crate::trust`]): automation and audited precision per area and month, pauses, the models in
//! service (`models`, [`crate::trust::models`]) and the drift signals of the active model
//! (`drift`, [`crate::trust::drift`]). Money is a string with two decimals; rates, shares and
//! precision are fractions; times are unix milliseconds.

use std::sync::Arc;

use axum::extract::State;
use axum::{Extension, Json};

use crate::auth::Principal;
use crate::clock;
use crate::error::ApiError;
use crate::state::AppState;
use crate::trust::{self, Dashboard};

pub async fn figures(
    State(state): State<Arc<AppState>>,
    Extension(who): Extension<Principal>,
) -> Result<Json<Dashboard>, ApiError> {
    let (_, now) = clock::now();
    Ok(Json(trust::dashboard(&state, &who, now).await?))
}
