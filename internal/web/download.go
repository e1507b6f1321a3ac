package web

import (
	"encoding/csv"
	"net/http"

	"github.com/xuri/excelize/v2"
)

// tableFile is a staff table as a download: a header row and rows of text, as CSV or
// as an XLSX workbook. CSV starts with its header row (no comment line, so that any
// reader takes it); the workbook also has an About sheet with the lines in About.
type tableFile struct {
	Name   string // file name without its extension
	Header []string
	Rows   [][]string
	About  []string
}

// downloadFormat reads the format a download asks for: "xlsx", or "csv" by default.
func downloadFormat(v string) string {
	if v == "xlsx" {
		return "xlsx"
	}
	return "csv"
}

// writeTableFile writes t in format ("csv" or "xlsx"). Cells a spreadsheet would
// take for a formula are neutralised in CSV, and always stored as text in XLSX.
func writeTableFile(w http.ResponseWriter, format string, t tableFile) error {
	if format == "xlsx" {
		return writeTableXLSX(w, t)
	}
	w.Header().Set("Content-Type", "text/csv; charset=utf-8")
	w.Header().Set("Content-Disposition", `attachment; filename="`+t.Name+`.csv"`)
	cw := csv.NewWriter(w)
	cw.Write(t.Header)
	for _, row := range t.Rows {
		cells := make([]string, len(row))
		for i, v := range row {
			cells[i] = csvCell(v)
		}
		cw.Write(cells)
	}
	cw.Flush()
	return cw.Error()
}

func writeTableXLSX(w http.ResponseWriter, t tableFile) error {
	f := excelize.NewFile()
	defer f.Close()
	const data, about = "Data", "About"
	if err := f.SetSheetName("Sheet1", data); err != nil {
		return err
	}
	put := func(sheet string, row int, values []string) error {
		for i, v := range values {
			cell, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				return err
			}
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return err
			}
		}
		return nil
	}
	if err := put(data, 1, t.Header); err != nil {
		return err
	}
	for i, row := range t.Rows {
		if err := put(data, i+2, row); err != nil {
			return err
		}
	}
	if len(t.About) > 0 {
		if _, err := f.NewSheet(about); err != nil {
			return err
		}
		for i, line := range t.About {
			if err := put(about, i+1, []string{line}); err != nil {
				return err
			}
		}
		if err := f.SetColWidth(about, "A", "A", 120); err != nil {
			return err
		}
	}
	w.Header().Set("Content-Type", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	w.Header().Set("Content-Disposition", `attachment; filename="`+t.Name+`.xlsx"`)
	return f.Write(w)
}
