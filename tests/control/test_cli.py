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

# demo with no config
sy = Switchyard(config=None, engine=None)
try:
    st, s, _, _ = sy.get('/x-switchyard/v1/status')
    check(st == 200 and s['demo'] and s['engine'] == 'none',
          'no config: demo starts; without a dataplane in this build the engine is "none"')
    st, ins, _, _ = sy.get('/x-switchyard/v1/inputs')
    check(len(ins) == 4 and any('演播室' in i['label'] for i in ins), 'demo inputs')
finally:
    sy.stop()
done()
