package main

import (
	"context"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"tropic/internal/store"
	"tropic/internal/tropic"
)

// The audit key (decision 18) is read from a file named by --audit-key-file or
// TROPIC_AUDIT_KEY_FILE, or from TROPIC_AUDIT_KEY itself. It never lives in the
// database: whoever can change the database must not be able to rehash the chain.
const (
	auditKeyFileEnv = "TROPIC_AUDIT_KEY_FILE"
	auditKeyEnv     = "TROPIC_AUDIT_KEY"
)

// howToMakeAuditKey ends every message about a missing key.
const howToMakeAuditKey = "make one once with 'tropic audit keygen --out /etc/tropic/audit.key', keep a copy somewhere safe away from the database and its backups, " +
	"and set " + auditKeyFileEnv + "=/etc/tropic/audit.key (see README.md, \"Audit key and checkpoints\")"

// errVerify marks a failed verification; it exits with status 3.
type errVerify struct{ msg string }

func (e errVerify) Error() string { return e.msg }

// addAuditKeyFlag adds --audit-key-file, defaulting to TROPIC_AUDIT_KEY_FILE.
func addAuditKeyFlag(fs *flag.FlagSet, e *env) *string {
	return fs.String("audit-key-file", e.getenv(auditKeyFileEnv), "the audit key file, made by 'tropic audit keygen' ("+auditKeyFileEnv+"; or the key itself in "+auditKeyEnv+")")
}

// loadAuditKeys reads the audit keyring from file (a flag's value, or
// TROPIC_AUDIT_KEY_FILE when empty) or TROPIC_AUDIT_KEY. It returns nil when none is
// given. The file must be readable by its owner only, as an SSH key must.
func loadAuditKeys(e *env, file string) (*tropic.AuditKeyring, error) {
	if file == "" {
		file = e.getenv(auditKeyFileEnv)
	}
	inline := e.getenv(auditKeyEnv)
	switch {
	case file != "" && inline != "":
		return nil, usageError("give the audit key once: either " + auditKeyFileEnv + " (or --audit-key-file) or " + auditKeyEnv + ", not both")
	case inline != "":
		keys, err := tropic.ParseAuditKeys(inline)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", auditKeyEnv, err)
		}
		return keys, nil
	case file == "":
		return nil, nil
	}
	info, err := os.Stat(file)
	if err != nil {
		return nil, fmt.Errorf("audit key file: %w", err)
	}
	if info.Mode().Perm()&0o077 != 0 {
		return nil, fmt.Errorf("audit key file %s: others may read it (mode %o); make it private with 'chmod 600 %s'", file, info.Mode().Perm(), file)
	}
	b, err := os.ReadFile(file)
	if err != nil {
		return nil, fmt.Errorf("audit key file: %w", err)
	}
	keys, err := tropic.ParseAuditKeys(string(b))
	if err != nil {
		return nil, fmt.Errorf("audit key file %s: %w", file, err)
	}
	return keys, nil
}

// requireAuditKeys is loadAuditKeys for commands that cannot work without a key.
func requireAuditKeys(e *env, file, command string) (*tropic.AuditKeyring, error) {
	keys, err := loadAuditKeys(e, file)
	if err == nil && keys == nil {
		err = fmt.Errorf("tropic %s needs the audit key, and none was given: %s", command, howToMakeAuditKey)
	}
	return keys, err
}

// explainAuditKey adds how to give the key to the store's refusal to write or read a
// keyed chain without one.
func explainAuditKey(err error) error {
	if errors.Is(err, tropic.ErrAuditKeyMissing) {
		return fmt.Errorf("%w: set %s to the audit key file (or give --audit-key-file where a command has it)", err, auditKeyFileEnv)
	}
	return err
}

// writeAuditKeyFile writes a new key file holding keys, readable by its owner only.
func writeAuditKeyFile(path string, text string) error {
	if dir := filepath.Dir(path); dir != "" {
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
	}
	return os.WriteFile(path, []byte(text), 0o600)
}

func runAudit(ctx context.Context, e *env, args []string) error {
	return subcommand(ctx, e, "audit", args, map[string]command{
		"verify":     {"check that no audit event was changed, inserted or deleted (and, with --checkpoint, none cut off)", runAuditVerify},
		"checkpoint": {"print a signed checkpoint of the audit chain's head, to keep elsewhere", runAuditCheckpoint},
		"keygen":     {"make the audit key (or, with --rotate, add a new one to it)", runAuditKeygen},
	})
}

func runAuditKeygen(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "audit keygen", "--out FILE [--rotate]",
		"Make the audit key: a random secret that keys the audit chain's hashes and signs its checkpoints.\n"+
			"Keep it outside the database and its backups, readable only by the account tropic runs as,\n"+
			"with a copy somewhere safe: without it the chain cannot be verified, and with it anyone can rewrite it.\n"+
			"--rotate adds a new key to an existing file: new events use it, and the old ones stay to verify older events.\n"+
			"A new key file says the chain is keyed from its first event, so that an unkeyed event anywhere is refused;\n"+
			"for a database that already has audit events from before keying, give --existing-chain.")
	out := fs.String("out", "", "the key file to write (required)")
	rotate := fs.Bool("rotate", false, "add a new current key to the existing FILE, keeping its older keys")
	existing := fs.Bool("existing-chain", false, "the database has audit events from before keying: accept those (at the start of the chain only) as unkeyed")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	if *out == "" {
		return usageError("tropic audit keygen: give the file to write, like --out /etc/tropic/audit.key")
	}
	k, err := tropic.NewAuditKey(rand.Reader)
	if err != nil {
		return err
	}
	made := time.Now().UTC().Format(time.RFC3339)
	if !*rotate {
		if _, err := os.Stat(*out); err == nil {
			return fmt.Errorf("--out %s: the file exists already; to add a new key to it, give --rotate", *out)
		}
		text := "# Tropic audit key, made " + made + ". Keep it secret, away from the database and its backups.\n" +
			"# Keep every line: the last key writes, the older ones verify older events.\n"
		if !*existing {
			text += "# The chain is keyed from its first event: an unkeyed event anywhere is a rewrite.\n" + tropic.KeyedFromStart + "\n"
		}
		text += k.String() + "\n"
		if err := writeAuditKeyFile(*out, text); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		fmt.Fprintf(e.stdout, "wrote audit key %s to %s\nset %s=%s for every tropic command, and keep a copy of the file somewhere safe\n", k.ID, *out, auditKeyFileEnv, *out)
		return nil
	}
	old, err := os.ReadFile(*out)
	if err != nil {
		return fmt.Errorf("--out (with --rotate): %w", err)
	}
	ring, err := tropic.ParseAuditKeys(string(old))
	if err != nil {
		return fmt.Errorf("--out %s: %w", *out, err)
	}
	if ring.Knows(k.ID) {
		return fmt.Errorf("the new key's id %s is in the file already; run keygen again", k.ID)
	}
	text := strings.TrimRight(string(old), "\n") + "\n# Rotated " + made + ":\n" + k.String() + "\n"
	if err := writeAuditKeyFile(*out+".new", text); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	if err := os.Rename(*out+".new", *out); err != nil {
		return fmt.Errorf("--out: %w", err)
	}
	fmt.Fprintf(e.stdout, "added audit key %s to %s (keys now: %s); restart every tropic process, then make a checkpoint\n",
		k.ID, *out, strings.Join(append(ring.IDs(), k.ID), ", "))
	return nil
}

func runAuditCheckpoint(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "audit checkpoint", "[options]",
		"Verify the audit chain and print one signed line naming its newest event and that event's hash.\n"+
			"Keep the line outside the database (print it, mail it, add it to a file elsewhere): later,\n"+
			"'tropic audit verify --checkpoint FILE' fails if the chain no longer extends it. The line is\n"+
			"also kept in the database, and the daily reminder digest carries the newest one.\n"+
			"Exits 3, printing nothing to keep, when the chain does not verify.")
	keyFile := addAuditKeyFlag(fs, e)
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	keys, err := requireAuditKeys(e, *keyFile, "audit checkpoint")
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, databaseURL(e), store.Options{AuditKeys: keys})
	if err != nil {
		return err
	}
	defer db.Close()
	c, p, err := store.NewAuditService(db).CreateAuditCheckpoint(ctx)
	if err != nil {
		return explainAuditKey(err)
	}
	if p != nil {
		return errVerify{fmt.Sprintf("no checkpoint made: the audit chain is broken at event %d (row id %d): %s", p.Seq, p.RowID, p.Reason)}
	}
	fmt.Fprintln(e.stdout, c.String())
	fmt.Fprintf(e.stderr, "checkpoint of event %d made; keep the line above outside the database\n", c.Seq)
	return nil
}

func runAuditVerify(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "audit verify", "[--checkpoint FILE]", "Walk the audit chain and check every row's keyed hash and link.\n"+
		"With --checkpoint, also check that the chain still extends every checkpoint line in FILE\n"+
		"(lines made by 'tropic audit checkpoint'; other lines are ignored): a chain cut back below a\n"+
		"checkpoint, or changed before it, fails. Exits 0 when intact; otherwise names the first bad row and exits 3.")
	keyFile := addAuditKeyFlag(fs, e)
	checkpointFile := fs.String("checkpoint", "", "a file of checkpoint lines kept outside the database")
	if helped, err := parse(fs, args); helped || err != nil {
		return err
	}
	keys, err := loadAuditKeys(e, *keyFile)
	if err != nil {
		return err
	}
	var checkpoints []tropic.AuditCheckpoint
	if *checkpointFile != "" {
		if keys == nil {
			return fmt.Errorf("--checkpoint needs the audit key, which signed the checkpoints: %s", howToMakeAuditKey)
		}
		b, err := os.ReadFile(*checkpointFile)
		if err != nil {
			return fmt.Errorf("--checkpoint: %w", err)
		}
		if checkpoints, err = tropic.ParseAuditCheckpoints(string(b)); err != nil {
			return errVerify{fmt.Sprintf("--checkpoint %s: %v", *checkpointFile, err)}
		}
	}
	db, err := store.Open(ctx, databaseURL(e), store.Options{AuditKeys: keys})
	if err != nil {
		return err
	}
	defer db.Close()
	audit := store.NewAuditService(db)
	var v *tropic.AuditVerification
	if len(checkpoints) > 0 {
		v, err = audit.VerifyAuditCheckpoints(ctx, checkpoints)
	} else {
		v, err = audit.VerifyAudit(ctx)
	}
	if err != nil {
		return explainAuditKey(err)
	}
	if v.Problem != nil {
		return errVerify{fmt.Sprintf("audit chain broken at event %d (row id %d): %s", v.Problem.Seq, v.Problem.RowID, v.Problem.Reason)}
	}
	fmt.Fprintf(e.stdout, "audit chain intact: %d events\n", v.Events)
	if len(checkpoints) > 0 {
		fmt.Fprintf(e.stdout, "it extends all %d checkpoints in %s\n", v.Checkpoints, *checkpointFile)
	}
	if v.Legacy > 0 {
		fmt.Fprintf(e.stdout, "note: events 1 to %d were written before the chain was keyed; only a checkpoint made after them protects them\n", v.Legacy)
	}
	return nil
}

// openBenchDB opens a benchmark's throwaway database with a throwaway audit key, so
// that audited writes cost what they cost under serve.
func openBenchDB(ctx context.Context, dsn string) (*store.DB, error) {
	key, err := tropic.NewAuditKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	keys, err := tropic.NewAuditKeyring(key)
	if err != nil {
		return nil, err
	}
	return openDB(ctx, dsn, true, store.Options{AuditKeys: keys})
}
