package store

import "testing"

func TestRebind(t *testing.T) {
	tests := []struct {
		name    string
		dialect Dialect
		query   string
		want    string
	}{
		{"SQLite queries are left as written", SQLite,
			`SELECT * FROM users WHERE id = ? AND email = ?`,
			`SELECT * FROM users WHERE id = ? AND email = ?`},
		{"PostgreSQL placeholders are numbered in order", Postgres,
			`INSERT INTO t (a, b, c) VALUES (?, ?, ?)`,
			`INSERT INTO t (a, b, c) VALUES ($1, $2, $3)`},
		{"A query without placeholders is unchanged", Postgres,
			`SELECT 1`,
			`SELECT 1`},
		{"A question mark inside quotes is left alone", Postgres,
			`SELECT id FROM t WHERE note = 'why?' AND id = ?`,
			`SELECT id FROM t WHERE note = 'why?' AND id = $1`},
		{"An escaped quote does not end the quoted text", Postgres,
			`SELECT 'it''s ?' WHERE a = ? AND b = 'x?y' AND c = ?`,
			`SELECT 'it''s ?' WHERE a = $1 AND b = 'x?y' AND c = $2`},
		{"Placeholders past ten keep counting", Postgres,
			`VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			`VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			db := &DB{dialect: tt.dialect}
			if got := db.rebind(tt.query); got != tt.want {
				t.Fatalf("got %q, want %q", got, tt.want)
			}
		})
	}
}
