package analyze

import (
	"fmt"
	"sort"
	"time"
)

// typeEst is one type's merged results.
type typeEst struct {
	keys, mem      est
	lengthSum      int64
	analyzed       int64
	measured       bool
	hist           [histBins]int64
	topMem, topLen topK
}

type nsEst struct {
	prefix, match           string
	keys, mem, ntKeys, ntMe est
	otherKeys, otherMem     est
	example                 string
	children                map[string]*nsEst
}

func sub(a, b cell) cell { return cell{a.keys - b.keys, a.mem - b.mem, a.memSq - b.memSq} }

func (n *nsEst) merge(st stratum, src *nsNode) {
	n.keys = n.keys.plus(st.keys(src.all))
	n.mem = n.mem.plus(st.memory(src.all))
	n.ntKeys = n.ntKeys.plus(st.keys(src.noTTL))
	n.ntMe = n.ntMe.plus(st.memory(src.noTTL))
	if n.example == "" {
		n.example = src.example
	}
	other := src.all
	for p, c := range src.children {
		other = sub(other, c.all)
		if n.children == nil {
			n.children = map[string]*nsEst{}
		}
		child := n.children[p]
		if child == nil {
			child = &nsEst{prefix: p, match: c.match, keys: exactZero, mem: exactZero, ntKeys: exactZero, ntMe: exactZero, otherKeys: exactZero, otherMem: exactZero}
			n.children[p] = child
		}
		child.merge(st, c)
	}
	n.otherKeys = n.otherKeys.plus(st.keys(other))
	n.otherMem = n.otherMem.plus(st.memory(other))
}

// exactZero is the neutral element of est.plus.
var exactZero = est{exact: true}

func (n *nsEst) public(complete bool) Namespace {
	pub := func(e est) Estimate {
		e.exact = e.exact && complete
		return e.public()
	}
	out := Namespace{Prefix: n.prefix, Match: n.match, Keys: pub(n.keys), Memory: pub(n.mem),
		KeysWithoutTTL: pub(n.ntKeys), MemoryWithoutTTL: pub(n.ntMe),
		OtherKeys: pub(n.otherKeys), OtherMemory: pub(n.otherMem)}
	for _, c := range n.children {
		out.Children = append(out.Children, c.public(complete))
	}
	sort.Slice(out.Children, func(i, j int) bool {
		a, b := out.Children[i], out.Children[j]
		if a.Memory.Value != b.Memory.Value {
			return a.Memory.Value > b.Memory.Value
		}
		return a.Prefix < b.Prefix
	})
	return out
}

// Snapshot returns the report of the keys examined so far (the final report once Done is
// closed). A run that has not examined every key reports extrapolated totals.
func (r *Run) Snapshot() *Report {
	o := r.opts
	rep := &Report{SchemaVersion: SchemaVersion, Mode: o.Mode.String(), StartedAt: r.started.UTC(),
		Confidence: 0.95, Findings: []Finding{}, Warnings: []string{},
		Options: ReportOptions{Match: o.Match, Type: o.Type, Delimiters: o.Delimiters, MemorySamples: o.MemorySamples}}
	if o.MemorySamples < 0 {
		rep.Options.MemorySamples = 0
	}
	if o.Rate > 0 {
		rep.Options.Rate = o.Rate
	}
	r.mu.Lock()
	rep.Cancelled = r.cancelled
	end := r.finished
	r.mu.Unlock()
	if end.IsZero() {
		end = time.Now()
	}
	rep.Duration = end.Sub(r.started).Seconds()

	total, mem, expiring := exactZero, exactZero, exactZero
	var ttlKeys, ttlMem [5]est
	for i := range ttlKeys {
		ttlKeys[i], ttlMem[i] = exactZero, exactZero
	}
	types := map[string]*typeEst{}
	encs := map[[2]string]est{}
	root := &nsEst{keys: exactZero, mem: exactZero, ntKeys: exactZero, ntMe: exactZero, otherKeys: exactZero, otherMem: exactZero}
	top := topK{n: o.TopN}
	complete := true
	var memEst int64
	var maxKeys, maxMem int64
	var largestKeys, largestMem string
	var skipped int64
	var skipErr string
	shards := r.shardList()
	for _, s := range shards {
		s.mu.Lock()
		complete = complete && s.complete
		s.mu.Unlock()
	}
	// A group a sampled shard never saw is still uncertain there: no total is exact unless
	// every shard was walked to the end.
	pub := func(e est) Estimate {
		e.exact = e.exact && complete
		return e.public()
	}
	var sumKeys, sumMem float64
	for _, s := range shards {
		s.mu.Lock()
		a := s.acc
		st := stratum{n: a.examined, N: max(s.total, a.examined), complete: s.complete}
		rep.Options.SampleSize += s.target
		ks := Keyspace{Keys: s.total, Examined: a.examined, Analyzed: a.matched, Vanished: a.vanished, Skipped: a.skipped}
		if a.skipped > 0 {
			skipped += a.skipped
			if skipErr == "" {
				skipErr = a.skipErr
			}
		}
		rep.Keyspace.Keys += ks.Keys
		rep.Keyspace.Examined += ks.Examined
		rep.Keyspace.Analyzed += ks.Analyzed
		rep.Keyspace.Vanished += ks.Vanished
		rep.Keyspace.Skipped += ks.Skipped
		sk, sm := st.keys(a.total), st.memory(a.total)
		rep.Shards = append(rep.Shards, ShardStat{Addr: s.addr, Keyspace: ks, Complete: s.complete, Keys: pub(sk), Memory: pub(sm)})
		if sk.v >= float64(maxKeys) {
			maxKeys, largestKeys = int64(sk.v), s.addr
		}
		if sm.v >= float64(maxMem) {
			maxMem, largestMem = int64(sm.v), s.addr
		}
		sumKeys += sk.v
		sumMem += sm.v
		total, mem = total.plus(sk), mem.plus(sm)
		var withTTL cell
		for i, c := range a.ttl {
			ttlKeys[i] = ttlKeys[i].plus(st.keys(c))
			ttlMem[i] = ttlMem[i].plus(st.memory(c))
			if i > 0 {
				withTTL.keys += c.keys
				withTTL.mem += c.mem
				withTTL.memSq += c.memSq
			}
		}
		expiring = expiring.plus(st.memory(withTTL))
		for t, ta := range a.types {
			te := types[t]
			if te == nil {
				te = &typeEst{keys: exactZero, mem: exactZero, measured: ta.measured, topMem: topK{n: o.TopN}, topLen: topK{n: o.TopN}}
				types[t] = te
			}
			te.keys = te.keys.plus(st.keys(ta.cell))
			te.mem = te.mem.plus(st.memory(ta.cell))
			te.lengthSum += ta.length
			te.analyzed += ta.keys
			for i, h := range ta.hist {
				te.hist[i] += h
			}
			te.topMem.merge(ta.topMem)
			te.topLen.merge(ta.topLen)
		}
		for k, n := range a.enc {
			if _, ok := encs[k]; !ok {
				encs[k] = exactZero
			}
			encs[k] = encs[k].plus(st.keys(cell{keys: n, mem: 0}))
		}
		root.merge(st, a.ns)
		top.merge(a.topMem)
		memEst += a.memEst
		s.mu.Unlock()
	}
	rep.Complete = complete && !rep.Cancelled && len(rep.Shards) > 0
	rep.Keys, rep.Memory, rep.ExpiringMemory = pub(total), pub(mem), pub(expiring)
	for i, b := range ttlBuckets {
		rep.TTL = append(rep.TTL, TTLBucket{Bucket: b.name, Keys: pub(ttlKeys[i]), Memory: pub(ttlMem[i])})
	}
	for t, te := range types {
		ts := TypeStat{Type: t, Keys: pub(te.keys), Memory: pub(te.mem),
			TopByMemory: te.topMem.refs(), TopByLength: te.topLen.refs()}
		if sc, ok := sizeCommands[t]; ok {
			ts.LengthUnit = sc.unit
			if te.analyzed > 0 {
				ts.AvgLength = float64(te.lengthSum) / float64(te.analyzed)
			}
		} else {
			rep.Warnings = append(rep.Warnings, fmt.Sprintf("keys of type %s have no length command the analysis knows; their memory is measured, their length is not", t))
		}
		last := 0
		for i, h := range te.hist {
			if h > 0 {
				last = i + 1
			}
		}
		ts.SizeHistogram = append([]int64{}, te.hist[:last]...)
		rep.Types = append(rep.Types, ts)
	}
	sort.Slice(rep.Types, func(i, j int) bool {
		a, b := rep.Types[i], rep.Types[j]
		if a.Memory.Value != b.Memory.Value {
			return a.Memory.Value > b.Memory.Value
		}
		return a.Type < b.Type
	})
	sort.Strings(rep.Warnings)
	for k, e := range encs {
		rep.Encodings = append(rep.Encodings, EncodingStat{Type: k[0], Encoding: k[1], Keys: pub(e)})
	}
	sort.Slice(rep.Encodings, func(i, j int) bool {
		a, b := rep.Encodings[i], rep.Encodings[j]
		if a.Keys.Value != b.Keys.Value {
			return a.Keys.Value > b.Keys.Value
		}
		return a.Type+" "+a.Encoding < b.Type+" "+b.Encoding
	})
	rep.TopByMemory = top.refs()
	rep.Namespaces = root.public(complete)
	if n := len(rep.Shards); n > 1 {
		rep.Skew = &Skew{LargestKeys: largestKeys, LargestMemory: largestMem}
		if sumKeys > 0 {
			rep.Skew.Keys = float64(maxKeys) / (sumKeys / float64(n))
		}
		if sumMem > 0 {
			rep.Skew.Memory = float64(maxMem) / (sumMem / float64(n))
		}
	}
	switch {
	case r.mem.denied.Load() && memEst == rep.Keyspace.Analyzed:
		rep.MemorySource = "estimate"
	case r.mem.denied.Load():
		rep.MemorySource = "mixed"
	default:
		rep.MemorySource = "memory_usage"
	}
	if r.mem.denied.Load() {
		rep.Warnings = append([]string{"the server refused MEMORY USAGE (" + r.mem.reason() +
			"): memory figures are estimates from each key's length and encoding, not measurements"}, rep.Warnings...)
	}
	if skipped > 0 {
		rep.Warnings = append(rep.Warnings, fmt.Sprintf("%d keys were skipped because the server answered an error about them (first: %s); they are not in any total", skipped, skipErr))
	}
	rep.Sampling = samplingText(rep)
	rep.Findings = findings(rep, root, o)
	return rep
}

func samplingText(rep *Report) string {
	switch {
	case rep.Complete:
		return "every key was examined; totals are exact"
	case rep.Mode == "full":
		return fmt.Sprintf("stopped after %d of %d keys: totals are extrapolated from the keys examined, with 95 %% confidence intervals", rep.Keyspace.Examined, rep.Keyspace.Keys)
	default:
		return fmt.Sprintf("%d of %d keys examined (the first keys of each server's SCAN order, which follows the hash of the key name: a random sample); totals are extrapolated with 95 %% confidence intervals; top keys are the largest in the sample", rep.Keyspace.Examined, rep.Keyspace.Keys)
	}
}
