// The API's rate-limit window, shared by the limiter and the documentation (which must not import
// the limiter's store clients).
export const API_RATE_WINDOW_SECONDS = 60;
