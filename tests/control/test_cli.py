#!/usr/bin/env python3
# SPDX-License-Identifier: MIT
# The executable's command line and config loading: --help explains every
# option; --check-config accepts the studio config and the demo starts with
# no config; bad configs are refused with line:column (syntax) or the file
# and JSON path (unknown keys, wrong types, bad values), exit status 1.
import os
import subprocess
import tempfile

from sytest import BINARY, CONFIG, Switchyard, check, done


def run(*args):
    return subprocess.run([BINARY] + list(args), capture_output=True, text=True, timeout=10)


p = run('--help')
check(p.returncode == 0, '--help exits 0')
for opt in ['--config', '--check-config', '--listen', '--engine', '--state', '--token-file',
            '--tai-offset', '--help', '--version']:
    check(opt in p.stdout, '--help explains %s' % opt)
p = run('--bogus')
check(p.returncode == 2, 'unknown option -> exit 2')
p = run('--config', str(CONFIG), '--check-config')
check(p.returncode == 0 and '5 inputs, 3 outputs' in p.stdout, 'studio config valid: ' + p.stdout.strip())

cases = [
    ('{\n  "engine": "sim",\n  "inputs": [ {"id": "a",} ]\n}', ':3:'),
    ('{"engine": "sim", "engine": "none"}', 'duplicate object key'),
    ('{"htp": {}}', '$.htp: unknown key'),
    ('{"outputs": [{"id": "x", "video": {"format": "1080p50", "depth": "10"}}]}',
     '$.outputs[0].video.depth: expected integer, got string'),
    ('{"outputs": [{"id": "x", "video": {"format": "1080p51", "legs": []}}]}',
     '$.outputs[0].video.format'),
    ('{"inputs": [{"id": "a", "video": {"format": "1080p50", "legs": [{"destination": "1.2.3", "port": 1}]}}]}',
     '$.inputs[0].video.legs[0].destination'),
    ('{"inputs": [{"id": "a", "video": {"format": "1080p50", "legs": [{"destination": "239.1.1.1", "port": 70000}]}}]}',
     '$.inputs[0].video.legs[0].port: 70000 out of range'),
    ('{"inputs": [{"id": "a", "internal": "bars", "video": {"format": "1080p50"}}, '
     '{"id": "a", "internal": "bars", "video": {"format": "1080p50"}}]}', "'a' used twice"),
    ('{"outputs": [{"id": "o", "input": "ghost", "video": {"format": "1080p50", "legs": '
     '[{"destination": "239.1.1.1", "port": 5004}]}}]}', "$.outputs[0].input: no input 'ghost'"),
    ('{"http": {"listen": "localhost"}}', '$.http.listen'),
    # the dataplane section: strict like the rest
    ('{"dataplane": {"eal": ["--no-pci"], "ports": [{"name": "p0", "devargs": "net_foo0"}]}}',
     '$.dataplane.ports[0].devargs'),
    ('{"dataplane": {"eal": ["--no-pci"], "ports": [{"name": "p0", "devargs": "0000:3b:00.0"}]}}',
     'the EAL arguments say --no-pci'),
    ('{"dataplane": {"eal": ["--vdev", "net_null0"], "ports": [{"name": "p0", "devargs": "net_null0"}]}}',
     '$.dataplane.eal[0]'),
    ('{"dataplane": {"eal": [], "ports": [{"name": "p0", "devargs": "net_null0", "worker": 1}]}}',
     '$.dataplane.ports[0].worker: worker 1 does not exist'),
    ('{"dataplane": {"eal": [], "ports": [{"name": "p0", "devargs": "net_null0", "speed": 1}]}}',
     '$.dataplane.ports[0].speed: unknown key'),
    ('{"dataplane": {"eal": [], "ports": [{"name": "p0", "devargs": "net_null0"}], "hold_pkts": 1000}}',
     '$.dataplane.hold_pkts: 1000 is not a power of 2'),
    ('{"dataplane": {"eal": [], "ports": [{"name": "p0", "devargs": "net_null0"}]}, "inputs": [{"id": "a", '
     '"port": "p9", "video": {"format": "1080p50", "legs": [{"destination": "239.1.1.1", "port": 1}]}}]}',
     "$.inputs[0].port: no dataplane port 'p9'"),
    ('{"http": {"tls": {"cert": "a.pem"}}}', '$.http.tls.key: required key missing'),
    ('{"engine": "turbo"}', '$.engine'),
    ('{"inputs": [{"id": "a", "video": {"format": "1080p50", "legs": [{"destination": "239.1.1.1", '
     '"port": 1}, {"destination": "239.1.1.2", "port": 1}, {"destination": "239.1.1.3", "port": 1}]}}]}',
     '2 for ST 2022-7'),
]
d = tempfile.mkdtemp(prefix='sy-cli-')
for i, (text, want) in enumerate(cases):
    path = os.path.join(d, 'c%d.json' % i)
    open(path, 'w').write(text)
    p = run('--config', path, '--check-config')
    check(p.returncode == 1 and path in p.stderr and want in p.stderr,
          'bad config %d refused naming %r: %s' % (i, want, p.stderr.strip()))
p = run('--config', '/nonexistent/x.json')
check(p.returncode == 1 and 'No such file' in p.stderr, 'missing config file reported')

# the shipped binary has no "sim" engine (it reports takes that move no media)
p = run('--engine', 'sim', '--config', str(CONFIG), '--check-config')
check(p.returncode == 2 and 'dataplane or none' in p.stderr, 'shipped binary: --engine sim refused')
p = run('--config', str(CONFIG), '--listen', '127.0.0.1:0')
check(p.returncode == 1 and 'test build' in p.stderr,
      'shipped binary: a config saying engine "sim" is refused: ' + p.stderr.strip())
if os.environ.get('SY_WITH_DATAPLANE') == '1':
    p = run('--config', str(CONFIG), '--engine', 'dataplane', '--listen', '127.0.0.1:0')
    check(p.returncode == 1 and '"dataplane" section' in p.stderr,
          'engine dataplane without a dataplane section refused: ' + p.stderr.strip())
else:
    sy = Switchyard(engine='dataplane')
    try:
        st, s, _, _ = sy.get('/x-switchyard/v1/status')
        check(s['engine'] == 'none', 'built without the dataplane: engine dataplane falls back to none')
    finally:
        sy.stop()
    check('no dataplane in this build' in sy.stderr, 'and says so on stderr')

# demo with no config. Built with the dataplane, the demo runs it (DPDK on
# virtual devices: test_demo_dp.py, one at a time); here the API alone
# (--engine none) unless there is no dataplane, when none is the default.
with_dp = os.environ.get('SY_WITH_DATAPLANE') == '1'
sy = Switchyard(config=None, engine='none' if with_dp else None)
try:
    st, s, _, _ = sy.get('/x-switchyard/v1/status')
    check(st == 200 and s['demo'] and s['engine'] == 'none',
          'no config: demo starts (engine "none": %s)' % ('--engine none' if with_dp else
                                                          'no dataplane in this build'))
    st, ins, _, _ = sy.get('/x-switchyard/v1/inputs')
    check(len(ins) == 4 and any('演播室' in i['label'] for i in ins), 'demo inputs')
finally:
    sy.stop()
done()
