/** A case's evidence package (ZIP), as a link the browser downloads with the session's cookie. */
export const evidencePath = (caseId: number): string => `/api/cases/${caseId}/evidence.zip`;
