package web

import "tropic/internal/tropic"

// The authorisation matrix's rows for the data protection officer's audit search.

// mayAuditSearch: only a data protection officer, of any agency.
func mayAuditSearch(u *matrixUser) expect {
	if u.role == tropic.RoleDPO {
		return allowed
	}
	return refused
}

func auditPageRows() []matrixRow {
	return []matrixRow{
		{name: "GET /audit", rule: mayAuditSearch, path: fixed("/audit?action=case.")},
		{name: "POST /audit/export", rule: mayAuditSearch, path: fixed("/audit/export"), body: formBody("action", "case.viewed")},
	}
}
