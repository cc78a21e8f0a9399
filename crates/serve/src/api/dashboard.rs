//! `GET /v1/dashboard`: the trust dashboard's figures as JSON, within the caller's areas (see
//! [`crate::trust`]). Money is a string with two decimals; rates and precision are fractions.

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
