// Password length bounds, shared by the browser (forms) and the server (hashing).
export const PASSWORD_MIN = 10;
export const PASSWORD_MAX = 256;
