package web

import (
	"io"
	"strconv"

	"github.com/xuri/excelize/v2"
)

// writeStatsXLSX writes one statistics table as a workbook: its title, the rule on
// small numbers when there is one, then the table with a header row; counts are
// numbers, so that a spreadsheet can add them up, and the protected ones text
// ("fewer than 5", "hidden"). Text is only ever stored as text, never a formula.
func writeStatsXLSX(w io.Writer, t statsTable, rule string) error {
	f := excelize.NewFile()
	defer f.Close()
	const sheet = "Data"
	if err := f.SetSheetName("Sheet1", sheet); err != nil {
		return err
	}
	row := 1
	put := func(values ...string) error {
		for i, v := range values {
			cell, err := excelize.CoordinatesToCellName(i+1, row)
			if err != nil {
				return err
			}
			if n, err := strconv.Atoi(v); err == nil && i > 0 {
				err = f.SetCellInt(sheet, cell, int64(n))
			} else {
				err = f.SetCellStr(sheet, cell, v)
			}
			if err != nil {
				return err
			}
		}
		row++
		return nil
	}
	lines := [][]string{{t.Title + ", " + t.Period.String()}}
	if rule != "" {
		lines = append(lines, []string{rule})
	}
	lines = append(lines, []string{t.Dimension.Label(), "Count"})
	for _, c := range t.Cells {
		lines = append(lines, []string{c.Label, c.Published})
	}
	if t.Total.Published != "" {
		lines = append(lines, []string{"Total", t.Total.Published})
	}
	for _, l := range lines {
		if err := put(l...); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(sheet, "A", "A", 40); err != nil {
		return err
	}
	return f.Write(w)
}
