// Cross-check for dev.nats.accounts.jwt: decodes JWTs produced by the Java library with the official
// nats-io/jwt v2 library (the one nats-server builds with) and runs Validate on them.
//
// Input (stdin): one "<kind> <jwt>" per line, kind = operator|account|user|activation|generic.
// Output: "OK <kind> <summary>" or "ERR <kind> <message>" per line; warnings as "WARN <kind> <message>".
package main

import (
	"bufio"
	"fmt"
	"os"
	"strings"

	"github.com/nats-io/jwt/v2"
)

func report(kind string, vr *jwt.ValidationResults, summary string) {
	for _, w := range vr.Warnings() {
		fmt.Printf("WARN %s %s\n", kind, w)
	}
	if vr.IsBlocking(true) {
		for _, e := range vr.Errors() {
			fmt.Printf("ERR %s %s\n", kind, e)
		}
		return
	}
	fmt.Printf("OK %s %s\n", kind, summary)
}

func main() {
	in := bufio.NewScanner(os.Stdin)
	in.Buffer(make([]byte, 1024*1024), 16*1024*1024)
	for in.Scan() {
		line := strings.TrimSpace(in.Text())
		if line == "" {
			continue
		}
		parts := strings.SplitN(line, " ", 2)
		kind, token := parts[0], parts[1]
		vr := jwt.CreateValidationResults()
		switch kind {
		case "operator":
			c, err := jwt.DecodeOperatorClaims(token)
			if err != nil {
				fmt.Printf("ERR %s decode: %v\n", kind, err)
				continue
			}
			c.Validate(vr)
			report(kind, vr, fmt.Sprintf("sub=%s sk=%d sys=%s strict=%v", c.Subject, len(c.SigningKeys), c.SystemAccount, c.StrictSigningKeyUsage))
		case "account":
			c, err := jwt.DecodeAccountClaims(token)
			if err != nil {
				fmt.Printf("ERR %s decode: %v\n", kind, err)
				continue
			}
			c.Validate(vr)
			report(kind, vr, fmt.Sprintf("sub=%s imports=%d exports=%d conn=%d subs=%d wildcards=%v sk=%d", c.Subject,
				len(c.Imports), len(c.Exports), c.Limits.Conn, c.Limits.Subs, c.Limits.WildcardExports, len(c.SigningKeys)))
		case "user":
			c, err := jwt.DecodeUserClaims(token)
			if err != nil {
				fmt.Printf("ERR %s decode: %v\n", kind, err)
				continue
			}
			c.Validate(vr)
			report(kind, vr, fmt.Sprintf("sub=%s iss_acct=%s subs=%d empty=%v", c.Subject, c.IssuerAccount, c.Subs, c.HasEmptyPermissions()))
		case "activation":
			c, err := jwt.DecodeActivationClaims(token)
			if err != nil {
				fmt.Printf("ERR %s decode: %v\n", kind, err)
				continue
			}
			c.Validate(vr)
			report(kind, vr, fmt.Sprintf("sub=%s subject=%s kind=%s", c.Subject, c.ImportSubject, c.ImportType))
		case "generic":
			c, err := jwt.DecodeGeneric(token)
			if err != nil {
				fmt.Printf("ERR %s decode: %v\n", kind, err)
				continue
			}
			c.Validate(vr)
			report(kind, vr, fmt.Sprintf("sub=%s iss=%s accounts=%v", c.Subject, c.Issuer, c.Data["accounts"]))
		default:
			fmt.Printf("ERR %s unknown kind\n", kind)
		}
	}
}
