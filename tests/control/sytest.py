# SPDX-License-Identifier: MIT
# Helpers for the control-plane integration tests: start the real switchyard
# binary on 127.0.0.1 and a free port, talk HTTP/1.1 to it with the standard
# library, and validate NMOS documents against the AMWA schemas in
# /work/shared/nmos-schemas (every $ref resolved locally, no network).
import http.client
import json
import os
import pathlib
import signal
import socket
import subprocess
import sys
import tempfile
import time

import jsonschema

HERE = pathlib.Path(__file__).resolve().parent
BUILD = pathlib.Path(os.environ.get('SY_BUILD_ROOT', '.'))
BINARY = os.environ.get('SWITCHYARD', str(BUILD / 'control' / 'switchyard'))
# the test build: also engine "sim" (never selectable in the shipped binary)
TEST_BINARY = os.environ.get('SWITCHYARD_TEST', str(BUILD / 'control' / 'switchyard-test'))
SCHEMAS = pathlib.Path(os.environ.get('SY_NMOS_SCHEMAS', '/work/shared/nmos-schemas'))
CONFIG = HERE / 'configs' / 'studio.json'

# Tests must not advertise on the host's network through a running avahi:
# every switchyard a test starts sees no system bus (DNS-SD off, one log
# line). test_dnssd.py points it at its private bus inside a namespace.
os.environ['DBUS_SYSTEM_BUS_ADDRESS'] = 'unix:path=/nonexistent/sy-test-no-system-bus'

failures = []


def check(cond, what):
    if cond:
        print('ok -', what)
    else:
        print('not ok -', what)
        failures.append(what)
    return cond


def done():
    if failures:
        print('%d check(s) failed:' % len(failures))
        for f in failures:
            print('  ', f)
        sys.exit(1)
    print('all checks passed')
    sys.exit(0)


def free_port():
    s = socket.socket()
    s.bind(('127.0.0.1', 0))
    port = s.getsockname()[1]
    s.close()
    return port


class Switchyard:
    def __init__(self, config=CONFIG, args=(), state=None, engine='sim', dataplane=False,
                 scheme='http', cafile=None):
        self.tmp = tempfile.mkdtemp(prefix='sy-ctl-')
        self.state = state
        self.config = config
        self.args = list(args)
        self.engine = engine
        self.dataplane = dataplane
        self.scheme = scheme
        self.cafile = cafile
        self.proc = None
        self.start()

    def start(self):
        for attempt in range(5):
            self.port = free_port()
            binary = TEST_BINARY if self.engine == 'sim' else BINARY
            cmd = [binary, '--listen', '127.0.0.1:%d' % self.port]
            if self.config:
                cmd += ['--config', str(self.config)]
            if self.engine:
                cmd += ['--engine', self.engine]
            if self.state:
                cmd += ['--state', self.state]
            cmd += self.args
            self.proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                         text=True)
            # the DPDK EAL may log to stdout before the line we wait for
            line = ''
            for _ in range(200):
                line = self.proc.stdout.readline()
                if not line or 'listening on' in line:
                    break
            if 'listening on' in line:
                return
            self.proc.wait(5)
            err = self.proc.stderr.read()
            if 'address already in use' not in err:
                raise RuntimeError('switchyard did not start: %s %s' % (line, err))
        raise RuntimeError('no free port')

    def stop(self, sig=signal.SIGTERM):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(sig)
            try:
                rc = self.proc.wait(10)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                rc = self.proc.wait()
        else:
            rc = self.proc.returncode if self.proc else None
        self.stderr = self.proc.stderr.read() if self.proc else ''
        return rc

    def request(self, method, path, body=None, headers=None, raw=None, timeout=5):
        if self.scheme == 'https':
            import ssl
            ctx = ssl.create_default_context(cafile=self.cafile)
            conn = http.client.HTTPSConnection('127.0.0.1', self.port, timeout=timeout,
                                               context=ctx)
        else:
            conn = http.client.HTTPConnection('127.0.0.1', self.port, timeout=timeout)
        h = {'X-Switchyard-Client': 'tester'}
        if headers:
            h.update(headers)
        data = raw
        if body is not None:
            data = json.dumps(body, ensure_ascii=False).encode()
            h.setdefault('Content-Type', 'application/json')
        conn.request(method, path, body=data, headers=h)
        r = conn.getresponse()
        payload = r.read()
        conn.close()
        ctype = r.getheader('Content-Type') or ''
        doc = None
        if payload and ctype.startswith('application/json'):
            doc = json.loads(payload)
        return r.status, doc, payload, r

    def get(self, path, **kw):
        return self.request('GET', path, **kw)

    def raw(self, data, timeout=5, read_until_close=True):
        """Send raw bytes; return everything the server answers until close/timeout."""
        s = socket.create_connection(('127.0.0.1', self.port), timeout=timeout)
        s.sendall(data)
        out = b''
        try:
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                out += chunk
                if not read_until_close:
                    break
        except socket.timeout:
            pass
        s.close()
        return out


_schema_cache = {}


def validate(spec_path, doc):
    """spec_path e.g. 'is-04/v1.3/node.json'. Returns None or the error text."""
    path = SCHEMAS / spec_path
    if path not in _schema_cache:
        schema = json.loads(path.read_text())
        resolver = jsonschema.RefResolver(base_uri=path.as_uri(), referrer=schema)
        _schema_cache[path] = jsonschema.Draft4Validator(schema, resolver=resolver)
    errors = sorted(_schema_cache[path].iter_errors(doc), key=lambda e: list(e.path))
    if not errors:
        return None
    e = errors[0]
    return '%s at %s' % (e.message[:300], '/'.join(str(p) for p in e.absolute_path))


def check_schema(spec_path, doc, what):
    err = validate(spec_path, doc)
    return check(err is None, '%s valid against %s%s' % (what, spec_path, '' if err is None else ': ' + err))


def is_nmos_error(status, doc):
    return (isinstance(doc, dict) and doc.get('code') == status and isinstance(doc.get('error'), str)
            and 'debug' in doc and validate('is-04/v1.3/error.json', doc) is None)


def tai_now(offset=37):
    ns = time.time_ns() + offset * 1_000_000_000
    return ns


def tai_str(ns):
    return '%d:%d' % (ns // 1_000_000_000, ns % 1_000_000_000)


def tai_parse(s):
    a, b = s.split(':')
    return int(a) * 1_000_000_000 + int(b)
