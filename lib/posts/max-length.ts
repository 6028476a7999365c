// X's limit on a post's weighted length (twitter-text configuration v3). Its own file so the
// composer can show it before twitter-text (./text) has loaded.
export const MAX_WEIGHTED_LENGTH = 280;
