/** Plain types every stage may use. */

/** Administrative level of an issuer, as CONTRACT.md names them. */
export type Level = 'province' | 'prefecture' | 'county' | 'department' | 'other';
