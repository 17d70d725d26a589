#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0
"""Summarise the raw results of scripts/bench-guest.sh.

bench_report.py [--out DIR] KDIR...

Each KDIR is one kernel's build/bench/KVER/ (raw/ from the guest, host.tsv
from scripts/bench.sh).  Writes DIR/report.txt (the tables and the targets),
DIR/report.json (every sample, the summaries, the targets) and
DIR/ratios.png (the ratios at a glance).  Exits 0 whether targets are met
or not: the report says which.
"""

import argparse
import json
import os
import re
import statistics
import sys

# Metric: (label, unit, higher is better).
METRICS = {
    'tcp1': ('TCP, 1 stream', 'Gbit/s', True),
    'tcp4': ('TCP, 4 streams', 'Gbit/s', True),
    'tcp16': ('TCP, 16 streams', 'Gbit/s', True),
    'share': ("the smaller uplink's share of the bytes", '%', True),
    'pps': ('UDP 64 B received', 'kpps', True),
    'lat50': ('UDP ping-pong p50', 'usec', False),
    'lat99': ('UDP ping-pong p99', 'usec', False),
}
METRIC_ORDER = list(METRICS)

# Group: (configurations in order, {config: baselines}).
GROUPS = {
    'remote': (['plain', 'vxlan', 'vw-vxlan', 'vw', 'vw-rate', 'vw-nocache'],
               dict({c: ['plain', 'vxlan'] for c in
                     ['plain', 'vxlan', 'vw-vxlan', 'vw']},
                    **{c: ['plain', 'vxlan', 'vw'] for c in
                       ['vw-rate', 'vw-nocache']})),
    'local': (['veth', 'vw-local'],
              {'veth': ['veth'], 'vw-local': ['veth']}),
    'scale': (['vw-vxlan', 'vw-vxlan@N', 'vw', 'vw@N'],
              {'vw-vxlan@N': ['vw-vxlan'], 'vw@N': ['vw'],
               'vw-vxlan': ['vw-vxlan'], 'vw': ['vw']}),
    'ecmp': (['vxlan-ecmp', 'vw-ecmp'],
             {'vxlan-ecmp': ['vxlan-ecmp'], 'vw-ecmp': ['vxlan-ecmp']}),
}

IDLE_SYMBOLS = ('pv_native_safe_halt', 'default_idle', 'native_safe_halt',
                'acpi_idle', 'cpu_idle', 'do_idle', 'mwait_idle')


def read_tsv(path):
    rows = []
    if not os.path.exists(path):
        return rows
    with open(path) as f:
        for line in f:
            line = line.rstrip('\n')
            if line:
                rows.append(line.split('\t'))
    return rows


def parse_iperf(path, workload):
    """Returns {metric: value} or an error string."""
    try:
        with open(path) as f:
            d = json.load(f)
    except (OSError, ValueError) as e:
        return 'unreadable: %s' % e
    if 'error' in d:
        return d['error']
    try:
        r = d['end']['sum_received']
        if workload == 'pps':
            got = r['packets'] - r['lost_packets']
            s = d['end']['sum_sent']
            return {'pps': got / r['seconds'] / 1e3,
                    'pps_sent': s['packets'] / s['seconds'] / 1e3}
        return {workload: r['bits_per_second'] / 1e9}
    except (KeyError, ZeroDivisionError, TypeError) as e:
        return 'no result: %s' % e


def parse_links(path):
    """The smaller uplink's share (%) of the bytes a sample sent: its
    .links file has the two uplinks' tx bytes before and after."""
    try:
        with open(path) as f:
            rows = [list(map(int, line.split())) for line in f
                    if line.strip()]
        d = [b - a for a, b in zip(rows[0], rows[-1])]
        return {'share': 100.0 * min(d) / sum(d)} if sum(d) > 0 else {}
    except (OSError, ValueError, IndexError):
        return {}


def parse_sockperf(path):
    try:
        with open(path, errors='replace') as f:
            text = f.read()
    except OSError as e:
        return 'unreadable: %s' % e
    # Colour escapes sit around some lines.
    text = re.sub(r'\x1b\[[0-9;]*m', '', text)
    res = {}
    for key, pat in (('lat50', r'percentile 50\.000 =\s*([\d.]+)'),
                     ('lat99', r'percentile 99\.000 =\s*([\d.]+)'),
                     ('lat_avg', r'avg-latency=([\d.]+)')):
        m = re.search(pat, text)
        if m:
            res[key] = float(m.group(1))
    if 'lat50' not in res or 'lat99' not in res:
        return 'no percentiles in sockperf output'
    return res


def load_kernel(kdir):
    raw = os.path.join(kdir, 'raw')
    meta = {r[0]: r[1] if len(r) > 1 else '' for r in
            read_tsv(os.path.join(raw, 'meta.tsv'))}
    host = {}
    loads = []
    for r in read_tsv(os.path.join(kdir, 'host.tsv')):
        if r[0] == 'host_sample':
            m = re.search(r'loadavg=([\d.]+),\S* vms=(\d+)', r[1])
            if m:
                loads.append((float(m.group(1)), int(m.group(2))))
        elif len(r) > 1:
            host[r[0]] = r[1]
    if loads:
        host['samples'] = len(loads)
        host['loadavg1_mean'] = round(statistics.mean(x[0] for x in loads), 2)
        # Our own guest is one of the VMs.
        host['other_vms_max'] = max(x[1] for x in loads) - 1
    kernel = meta.get('kernel', os.path.basename(kdir.rstrip('/')))
    samples = []
    for r in read_tsv(os.path.join(raw, 'index.tsv')):
        rnd, mode, group, wl, cfg, rel, rc, t0, t1 = r[:9]
        path = os.path.join(raw, rel)
        s = {'kernel': kernel, 'round': int(rnd), 'mode': mode,
             'group': group, 'workload': wl, 'config': cfg,
             'file': os.path.relpath(path, os.path.dirname(kdir)),
             'rc': int(rc), 'start': float(t0),
             'seconds': round(float(t1) - float(t0), 2)}
        res = parse_sockperf(path) if wl == 'lat' else parse_iperf(path, wl)
        if isinstance(res, str):
            s['error'] = res
            s['values'] = {}
        else:
            if os.path.exists(path + '.links'):
                res.update(parse_links(path + '.links'))
            s['values'] = {k: round(v, 4) for k, v in res.items()}
        samples.append(s)
    perf = load_perf(os.path.join(raw, 'perf'))
    return {'kernel': kernel, 'meta': meta, 'host': host,
            'samples': samples, 'perf': perf}


def load_perf(pdir):
    """Top symbols of each profile, as shares of the busy (non-idle) time."""
    out = {}
    if not os.path.isdir(pdir):
        return out
    for name in sorted(os.listdir(pdir)):
        if not name.endswith('.txt') or name.endswith(('.dso.txt',
                                                       '.datapath.txt')):
            continue
        rows = []
        with open(os.path.join(pdir, name), errors='replace') as f:
            for line in f:
                m = re.match(r'\s*([\d.]+)%\s+\[(.)\]\s+(\S+)', line)
                if m:
                    rows.append((float(m.group(1)), m.group(2), m.group(3)))
        idle = sum(p for p, _, s in rows if s.startswith(IDLE_SYMBOLS))
        busy = 100.0 - idle
        top = [{'symbol': s, 'space': k,
                'busy_percent': round(100.0 * p / busy, 1) if busy > 0 else 0}
               for p, k, s in rows if not s.startswith(IDLE_SYMBOLS)]
        dp = []
        dpath = os.path.join(pdir, name[:-4] + '.datapath.txt')
        if os.path.exists(dpath):
            with open(dpath, errors='replace') as f:
                for line in f:
                    m = re.match(r'\s*([\d.]+)%\s+\[(.)\]\s+(\S+)', line)
                    if m and busy > 0:
                        dp.append({'symbol': m.group(3), 'busy_percent':
                                   round(100.0 * float(m.group(1)) / busy, 2)})
        out[name[:-4]] = {'idle_percent': round(idle, 1), 'top': top[:25],
                          'datapath': dp,
                          'datapath_busy_percent':
                          round(sum(d['busy_percent'] for d in dp), 2)}
    return out


def summarise(kernels):
    """Median, min, max per (kernel, mode, group, metric, config), and the
    ratios: of the medians, and per round (configurations of one round ran
    side by side, so a per-round ratio cancels slow drift)."""
    summary = []
    for k in kernels:
        by = {}
        for s in k['samples']:
            for m, v in s['values'].items():
                if m not in METRICS:
                    continue
                key = (s['mode'], s['group'], m, s['config'])
                by.setdefault(key, {})[s['round']] = v
        for (mode, group, m, cfg), vals in sorted(by.items()):
            xs = list(vals.values())
            e = {'kernel': k['kernel'], 'mode': mode, 'group': group,
                 'metric': m, 'config': cfg, 'n': len(xs),
                 'median': statistics.median(xs), 'min': min(xs),
                 'max': max(xs), 'ratios': {}}
            for base in GROUPS.get(group, ([], {}))[1].get(cfg, []):
                bvals = by.get((mode, group, m, base))
                if not bvals:
                    continue
                bmed = statistics.median(bvals.values())
                per_round = [vals[r] / bvals[r] for r in vals
                             if r in bvals and bvals[r]]
                e['ratios'][base] = {
                    'of_medians': e['median'] / bmed if bmed else None,
                    'round_min': min(per_round) if per_round else None,
                    'round_max': max(per_round) if per_round else None,
                }
            summary.append(e)
    return summary


def find(summary, kernel, mode, group, metric, cfg):
    for e in summary:
        if (e['kernel'], e['mode'], e['group'], e['metric'], e['config']) == \
                (kernel, mode, group, metric, cfg):
            return e
    return None


# (description, group, metric, config, baseline, op, threshold).  "ge":
# config/baseline >= threshold; "le": config/baseline <= threshold (latency).
TARGETS = []
for _c in ('vw', 'vw-vxlan'):
    TARGETS += [
        ('%s tcp1 >= 0.95x plain' % _c, 'remote', 'tcp1', _c, 'plain', 'ge', 0.95),
        ('%s tcp1 >= 1.0x vxlan' % _c, 'remote', 'tcp1', _c, 'vxlan', 'ge', 1.0),
        ('%s pps >= 1.1x vxlan' % _c, 'remote', 'pps', _c, 'vxlan', 'ge', 1.1),
        ('%s p50 latency <= vxlan' % _c, 'remote', 'lat50', _c, 'vxlan', 'le', 1.0),
    ]
# The rate limiter, its rate far above what the wire reaches, costs less
# than 5% against the same wire without one.
for _m in ('tcp1', 'pps'):
    TARGETS.append(('vw-rate %s >= 0.95x vw' % _m, 'remote', _m,
                    'vw-rate', 'vw', 'ge', 0.95))
# The flow cache saves a route lookup per packet: a wire without it is
# no faster.
for _m in ('tcp1', 'pps'):
    TARGETS.append(('vw-nocache %s <= 1.0x vw' % _m, 'remote', _m,
                    'vw-nocache', 'vw', 'le', 1.0))
# Over two uplinks, flows spread per flow carry more than flows pinned to
# one uplink per CPU.
TARGETS.append(('vw-ecmp tcp16 >= 1.2x vxlan-ecmp', 'ecmp', 'tcp16',
                 'vw-ecmp', 'vxlan-ecmp', 'ge', 1.2))
for _m in ('tcp1', 'tcp4', 'pps'):
    TARGETS.append(('vw-local %s >= 0.95x veth' % _m, 'local', _m,
                    'vw-local', 'veth', 'ge', 0.95))
for _c in ('vw', 'vw-vxlan'):
    for _m in ('tcp1', 'pps'):
        TARGETS.append(('%s@N %s >= 0.95x %s' % (_c, _m, _c), 'scale', _m,
                        _c + '@N', _c, 'ge', 0.95))


def check_targets(kernels, summary):
    results = []
    for k in kernels:
        modes = sorted({e['mode'] for e in summary if e['kernel'] == k['kernel']})
        for desc, group, metric, cfg, base, op, thr in TARGETS:
            for mode in modes:
                e = find(summary, k['kernel'], mode, group, metric, cfg)
                if not e or base not in e['ratios']:
                    continue
                rr = e['ratios'][base]
                r = rr['of_medians']
                if r is None:
                    continue
                met = r >= thr if op == 'ge' else r <= thr
                # Rounds on both sides of the threshold: this run cannot
                # tell, whatever the medians say.
                lo, hi = rr['round_min'], rr['round_max']
                clear = lo is not None and (lo >= thr or hi <= thr)
                results.append({'kernel': k['kernel'], 'mode': mode,
                                'target': desc, 'ratio': round(r, 3),
                                'round_min': round(lo, 3) if lo else None,
                                'round_max': round(hi, 3) if hi else None,
                                'need': ('>= ' if op == 'ge' else '<= ') + str(thr),
                                'met': met, 'every_round_agrees': clear})
    return results


def fmt(v):
    if v >= 100:
        return '%.0f' % v
    if v >= 10:
        return '%.1f' % v
    return '%.3g' % v if v < 1 else '%.2f' % v


def text_report(kernels, summary, targets):
    lines = []
    w = lines.append
    w('VirtualWire benchmark (scripts/bench.sh); medians over the rounds,')
    w('[min - max] across rounds, x BASE = ratio of the medians (latency:')
    w('lower is better, so a ratio below 1 is a win there).')
    for k in kernels:
        m = k['meta']
        w('')
        w('=' * 78)
        w('kernel %s: %s rounds of %s s, %s idle connectors in the scale group'
          % (k['kernel'], m.get('rounds', '?'), m.get('seconds', '?'),
             m.get('scale', '?')))
        h = k['host']
        if h:
            w('host: before %s; during: mean load %s, other VMs at most %s;'
              ' %s s' % (h.get('host_before', '?'), h.get('loadavg1_mean', '?'),
                         h.get('other_vms_max', '?'), h.get('host_seconds', '?')))
            if h.get('other_vms_max', 0) > 0:
                w('WARNING: other VMs shared the host cores during the run:'
                  ' figures are unreliable')
        bad = [s for s in k['samples'] if 'error' in s]
        if bad:
            w('failed samples: %d (%s)' % (len(bad), '; '.join(
                '%s %s %s r%d: %s' % (s['mode'], s['workload'], s['config'],
                                      s['round'], s['error'][:60])
                for s in bad[:5])))
        sections = sorted({(e['group'], e['mode']) for e in summary
                           if e['kernel'] == k['kernel']},
                          key=lambda x: (list(GROUPS).index(x[0]), x[1]))
        for group, mode in sections:
            cfgs = GROUPS[group][0]
            bases = []
            for c in cfgs:
                for b in GROUPS[group][1].get(c, []):
                    if b not in bases:
                        bases.append(b)
            w('')
            title = {'remote': 'two hosts over a veth underlay',
                     'local': 'two VMs of one host: local wire vs veth pair',
                     'scale': 'with %s idle connectors (@N) vs one' % m.get('scale', 'N'),
                     'ecmp': 'two uplinks, a multipath route'}
            w('-- %s, %s' % (title[group],
                             'underlay ' + mode.replace('-', ' ').upper().replace('GRO ', 'GRO ')
                             if group not in ('local', 'ecmp') else
                             'veth defaults' if group == 'local' else
                             'each uplink shaped to %s' % m.get('ecmp_rate', '?')))
            hdr = '%-18s %-11s %9s %-19s' % ('metric', 'config', 'median', '[min - max]')
            if group == 'scale':
                hdr += ' %8s' % 'x 1 conn'
            else:
                hdr += ''.join(' %8s' % ('x ' + b) for b in bases)
            w(hdr)
            for metric in METRIC_ORDER:
                label, unit, _ = METRICS[metric]
                first = True
                for c in cfgs:
                    e = find(summary, k['kernel'], mode, group, metric, c)
                    if not e:
                        continue
                    name = '%s (%s)' % (metric, unit) if first else ''
                    first = False
                    row = '%-18s %-11s %9s %-19s' % (
                        name, c, fmt(e['median']),
                        '[%s - %s]' % (fmt(e['min']), fmt(e['max'])))
                    if group == 'scale':
                        bl = [b for b in GROUPS[group][1].get(c, []) if b != c]
                        r = e['ratios'].get(bl[0]) if bl else None
                        row += ' %8s' % ('%.3f' % r['of_medians'] if r else '')
                    else:
                        for b in bases:
                            r = e['ratios'].get(b)
                            row += ' %8s' % ('%.3f' % r['of_medians'] if r and
                                             r['of_medians'] else '')
                    w(row)
    w('')
    w('=' * 78)
    w('Targets (ratios of medians)')
    w('"rounds": the range of the per-round ratios; "~" marks a result that')
    w('some rounds contradict (this run cannot settle it).')
    w('%-22s %-8s %-32s %6s %8s %13s  %s' % ('kernel', 'underlay', 'target',
                                            'ratio', 'need', 'rounds', 'result'))
    for t in targets:
        rounds = ('%.2f-%.2f' % (t['round_min'], t['round_max'])
                  if t['round_min'] is not None else '')
        w('%-22s %-8s %-32s %6.3f %8s %13s  %s%s' % (
            t['kernel'], t['mode'] if t['mode'] != 'host' else '-',
            t['target'], t['ratio'], t['need'], rounds,
            'met' if t['met'] else 'MISSED',
            '' if t['every_round_agrees'] else ' ~'))
    met = sum(t['met'] for t in targets)
    sure = sum(t['every_round_agrees'] for t in targets)
    w('%d of %d targets met; %d of %d settled by every round' % (
        met, len(targets), sure, len(targets)))
    for k in kernels:
        if not k['perf']:
            continue
        w('')
        w('=' * 78)
        w('cpu-clock profiles, %s (share of busy time, top symbols)' % k['kernel'])
        for name, p in k['perf'].items():
            w('  %s (idle %.0f%%): %s' % (name, p['idle_percent'], ', '.join(
                '%s %.1f%%' % (t['symbol'], t['busy_percent'])
                for t in p['top'][:12])))
            if p['datapath']:
                w('    tunnel/wire functions, %.2f%% in all: %s' % (
                    p['datapath_busy_percent'], ', '.join(
                        '%s %.2f%%' % (d['symbol'], d['busy_percent'])
                        for d in p['datapath'][:10])))
    return '\n'.join(lines) + '\n'


def goodness(e, base):
    """Ratio to BASE with higher always better, and its per-round range."""
    r = e['ratios'].get(base)
    if not r or not r['of_medians']:
        return None
    if METRICS[e['metric']][2]:
        return r['of_medians'], r['round_min'], r['round_max']
    return 1 / r['of_medians'], 1 / r['round_max'], 1 / r['round_min']


PLOT_METRICS = ['tcp1', 'tcp4', 'pps', 'lat50']
PLOT_LIMITS = (0.25, 4.0)
PLOT_TOP = 9.0	# room for the legend above 4


def plot(kernels, summary, path):
    """One row per kernel: vs plain under each underlay mode, then the local
    wire and the scale run.  Bars grow from 1.0 on a log axis, up when the
    configuration does better than its baseline, down when worse."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    from matplotlib.ticker import FixedLocator, NullLocator

    modes = sorted({e['mode'] for e in summary if e['group'] == 'remote'},
                   key=lambda m: (m != 'gro-on', m))
    panels = [('remote', m) for m in modes] + [('other', None)]
    fig, axes = plt.subplots(len(kernels), len(panels), squeeze=False,
                             figsize=(5.0 * len(panels), 3.4 * len(kernels)))
    colours = {'vxlan': '#9e9e9e', 'vw-vxlan': '#6baed6', 'vw': '#08519c',
               'vw-local': '#31a354', 'vw-vxlan@N': '#fd8d3c',
               'vw@N': '#d94801'}
    lo_lim, hi_lim = PLOT_LIMITS
    for row, k in enumerate(kernels):
        smode = next((e['mode'] for e in summary if e['group'] == 'scale'
                      and e['kernel'] == k['kernel']), None)
        for col, (group, mode) in enumerate(panels):
            ax = axes[row][col]
            if group == 'remote':
                series = [(c, 'remote', mode, 'plain', c) for c in
                          ('vxlan', 'vw-vxlan', 'vw')]
                title = 'vs plain, underlay %s' % mode
            else:
                series = [('vw-local', 'local', 'host', 'veth',
                           'vw-local / veth pair'),
                          ('vw-vxlan@N', 'scale', smode, 'vw-vxlan',
                           'vw-vxlan, N idle / 1'),
                          ('vw@N', 'scale', smode, 'vw', 'vw, N idle / 1')]
                title = 'local wire vs veth; N idle connectors vs 1'
            n = len(series)
            width = 0.8 / n
            for i, (c, g, md, base, label) in enumerate(series):
                xs, ys, lo, hi = [], [], [], []
                for j, m in enumerate(PLOT_METRICS):
                    e = find(summary, k['kernel'], md, g, m, c)
                    v = goodness(e, base) if e else None
                    if v is None:
                        continue
                    y = min(max(v[0], lo_lim), hi_lim)
                    xs.append(j + (i - (n - 1) / 2) * width)
                    ys.append(y)
                    lo.append(max(y - min(max(v[1], lo_lim), hi_lim), 0))
                    hi.append(max(min(max(v[2], lo_lim), hi_lim) - y, 0))
                    ax.text(xs[-1], y * (1.04 if y >= 1 else 0.96),
                            '%.2f' % v[0], ha='center', fontsize=6.5,
                            va='bottom' if y >= 1 else 'top')
                if not xs:
                    continue
                ax.bar(xs, [y - 1 for y in ys], width, bottom=1,
                       color=colours.get(c, '#444444'), label=label,
                       yerr=[lo, hi], capsize=2,
                       error_kw={'elinewidth': 0.7, 'ecolor': '#555555'})
            ax.set_yscale('log')
            ax.set_ylim(lo_lim, PLOT_TOP)
            ticks = [0.25, 0.5, 0.8, 1, 1.25, 2, 4]
            ax.yaxis.set_major_locator(FixedLocator(ticks))
            ax.yaxis.set_minor_locator(NullLocator())
            ax.set_yticklabels(['%g' % t for t in ticks])
            ax.axhline(1.0, color='black', linewidth=0.9)
            ax.axhline(0.95, color='#aa0000', linewidth=0.6, linestyle=':')
            ax.set_xticks(range(len(PLOT_METRICS)))
            ax.set_xticklabels(['TCP 1', 'TCP 4', 'pps 64 B', 'latency p50'])
            ax.set_xlim(-0.6, len(PLOT_METRICS) - 0.4)
            ax.set_title('%s: %s' % (k['kernel'], title), fontsize=9)
            ax.legend(fontsize=7, loc='upper center', ncol=3, framealpha=0.8,
                      handlelength=1.2, columnspacing=0.8)
            ax.grid(axis='y', linewidth=0.3, alpha=0.5)
            if col == 0:
                ax.set_ylabel('x baseline (higher is better)')
    fig.suptitle('VirtualWire vs baselines: ratio of medians, bars from 1.0 '
                 '(up: better than the baseline); whiskers: range of the '
                 'per-round ratios; latency shown as baseline / config; '
                 'red dotted: 0.95', fontsize=8.5)
    fig.tight_layout(rect=(0, 0, 1, 0.965))
    fig.savefig(path, dpi=80)
    plt.close(fig)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument('--out', default='.')
    ap.add_argument('--no-plot', action='store_true')
    ap.add_argument('kdirs', nargs='+')
    a = ap.parse_args()

    kernels = [load_kernel(d) for d in a.kdirs]
    kernels = [k for k in kernels if k['samples']]
    if not kernels:
        print('bench_report: no samples', file=sys.stderr)
        return 1
    summary = summarise(kernels)
    targets = check_targets(kernels, summary)
    text = text_report(kernels, summary, targets)
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, 'report.txt'), 'w') as f:
        f.write(text)
    with open(os.path.join(a.out, 'report.json'), 'w') as f:
        json.dump({'kernels': [{'kernel': k['kernel'], 'meta': k['meta'],
                                'host': k['host'], 'perf': k['perf']}
                               for k in kernels],
                   'samples': [s for k in kernels for s in k['samples']],
                   'summary': summary, 'targets': targets}, f, indent=1)
    if not a.no_plot:
        plot(kernels, summary, os.path.join(a.out, 'ratios.png'))
    sys.stdout.write(text)
    return 0


if __name__ == '__main__':
    sys.exit(main())
