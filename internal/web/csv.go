package web

import "strings"

// csvCell protects a cell of a CSV download from formula injection: a spreadsheet
// would run a cell starting with =, +, -, @, tab or carriage return, so such a cell
// gets a leading apostrophe.
func csvCell(v string) string {
	if v != "" && strings.ContainsRune("=+-@\t\r", rune(v[0])) {
		return "'" + v
	}
	return v
}
