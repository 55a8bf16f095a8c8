// Command jwtbench is the Go peer of bench/AccountJwtBench: it measures how many account JWTs
// (10 exports, 10 imports, unlimited limits) the official nats-io/jwt v2 library encodes and signs
// per second on one goroutine, so the Java figure can be compared with it in the same run.
//
// Build offline against Debian's sources (GOPATH mode):
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o jwtbench main.go
//
// The claims and keys MUST stay identical to BenchClaims.java; `-check <token>` lets the run
// script prove that the Java token decodes to the same shape.
package main

import (
	"encoding/base64"
	"flag"
	"fmt"
	"os"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/nats-io/jwt/v2"
	"github.com/nats-io/nkeys"
)

// Fixed benchmark keys: raw seeds of 0x11, 0x22 and 0x33 bytes. They protect nothing; fixing them
// makes both harnesses sign with the same keys and produce tokens of the same length.
const (
	operatorSigningSeed = "SOABCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEIRCEPQWM"
	accountPublicKey    = "ACQJVJPUPJTVTABP7FK7RXBNFIKKLSM5EO7JP6DECJ77SOBUKWSPBI3I"
	exporterPublicKey   = "AAL4W6P3FNASB4VR5RS6IGMNNYELFDUBH7VQDZFEACBZXBPBQCAM5GPA"
	accountName         = "bench-account"
)

// newClaims builds the benchmark claims: even indexes are services, odd ones streams; every
// import renames into a local subject, the way the operator writes them.
func newClaims() *jwt.AccountClaims {
	c := jwt.NewAccountClaims(accountPublicKey)
	c.Name = accountName
	for i := 0; i < 10; i++ {
		if i%2 == 0 {
			c.Exports.Add(&jwt.Export{
				Name:    fmt.Sprintf("svc-%d", i),
				Subject: jwt.Subject(fmt.Sprintf("export.%d.service", i)),
				Type:    jwt.Service,
			})
			c.Imports.Add(&jwt.Import{
				Name:         fmt.Sprintf("imp-svc-%d", i),
				Subject:      jwt.Subject(fmt.Sprintf("import.%d.service", i)),
				Account:      exporterPublicKey,
				LocalSubject: jwt.RenamingSubject(fmt.Sprintf("local.%d.service", i)),
				Type:         jwt.Service,
			})
		} else {
			c.Exports.Add(&jwt.Export{
				Name:    fmt.Sprintf("stream-%d", i),
				Subject: jwt.Subject(fmt.Sprintf("export.%d.stream.>", i)),
				Type:    jwt.Stream,
			})
			c.Imports.Add(&jwt.Import{
				Name:         fmt.Sprintf("imp-stream-%d", i),
				Subject:      jwt.Subject(fmt.Sprintf("import.%d.stream.>", i)),
				Account:      exporterPublicKey,
				LocalSubject: jwt.RenamingSubject(fmt.Sprintf("local.%d.stream.>", i)),
				Type:         jwt.Stream,
			})
		}
	}
	return c
}

func mustEncode(c *jwt.AccountClaims, kp nkeys.KeyPair) string {
	tok, err := c.Encode(kp)
	if err != nil {
		fmt.Fprintln(os.Stderr, "encode failed:", err)
		os.Exit(2)
	}
	return tok
}

// processCPU is the user+system CPU time of the whole process (GC included).
func processCPU() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

// measure runs Encode back to back for d and returns encodes per wall-clock second and per
// second of process CPU time; the second figure is what to trust when other work shares the core.
func measure(c *jwt.AccountClaims, kp nkeys.KeyPair, d time.Duration) (float64, float64) {
	n := 0
	cpu0 := processCPU()
	start := time.Now()
	deadline := start.Add(d)
	var now time.Time
	for {
		mustEncode(c, kp)
		n++
		now = time.Now()
		if !now.Before(deadline) {
			break
		}
	}
	cpu := (processCPU() - cpu0).Seconds()
	return float64(n) / now.Sub(start).Seconds(), float64(n) / cpu
}

func median(v []float64) float64 {
	s := append([]float64(nil), v...)
	sort.Float64s(s)
	if len(s)%2 == 0 {
		return (s[len(s)/2-1] + s[len(s)/2]) / 2
	}
	return s[len(s)/2]
}

// check decodes a token produced elsewhere (the Java benchmark) with the official library,
// validates it and prints its shape, so the run script can show both sides encode the same claims.
func check(token string) int {
	ac, err := jwt.DecodeAccountClaims(token)
	if err != nil {
		fmt.Println("check_error=" + strings.ReplaceAll(err.Error(), "\n", " "))
		return 1
	}
	vr := jwt.CreateValidationResults()
	ac.Validate(vr)
	parts := strings.Split(token, ".")
	payload, _ := base64.RawURLEncoding.DecodeString(parts[1])
	fmt.Printf("check_exports=%d check_imports=%d check_blocking_issues=%d check_issues=%d check_payload_json_len=%d check_token_len=%d\n",
		len(ac.Exports), len(ac.Imports), len(vr.Errors()), len(vr.Issues), len(payload), len(token))
	for _, is := range vr.Issues {
		fmt.Println("check_issue=" + is.Description)
	}
	if len(ac.Exports) != 10 || len(ac.Imports) != 10 || vr.IsBlocking(true) || ac.Name != accountName ||
		ac.Subject != accountPublicKey || ac.Limits.Conn != -1 {
		return 1
	}
	return 0
}

func main() {
	warmup := flag.Duration("warmup", 3*time.Second, "warm-up duration")
	round := flag.Duration("round", 2*time.Second, "duration of one measurement round")
	rounds := flag.Int("rounds", 5, "number of measurement rounds (median is reported)")
	printToken := flag.Bool("print-token", false, "print one token and its payload JSON, then exit")
	checkToken := flag.String("check", "", "decode and validate this account JWT, print its shape, then exit")
	flag.Parse()

	if *checkToken != "" {
		os.Exit(check(*checkToken))
	}

	kp, err := nkeys.FromSeed([]byte(operatorSigningSeed))
	if err != nil {
		fmt.Fprintln(os.Stderr, "bad seed:", err)
		os.Exit(2)
	}
	c := newClaims()
	tok := mustEncode(c, kp)
	payload, _ := base64.RawURLEncoding.DecodeString(strings.Split(tok, ".")[1])
	if *printToken {
		fmt.Println(tok)
		fmt.Println(string(payload))
		return
	}
	fmt.Printf("go_token_len=%d go_payload_json_len=%d exports=%d imports=%d\n",
		len(tok), len(payload), len(c.Exports), len(c.Imports))

	measure(c, kp, *warmup)
	rates := make([]float64, 0, *rounds)
	cpuRates := make([]float64, 0, *rounds)
	for i := 0; i < *rounds; i++ {
		r, rc := measure(c, kp, *round)
		rates = append(rates, r)
		cpuRates = append(cpuRates, rc)
		fmt.Printf("go_round_%d=%.0f go_cpu_round_%d=%.0f\n", i+1, r, i+1, rc)
	}
	fmt.Printf("go_jwts_per_sec=%.0f\n", median(rates))
	fmt.Printf("go_jwts_per_cpu_sec=%.0f\n", median(cpuRates))
}
