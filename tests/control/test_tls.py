# SPDX-License-Identifier: MIT
# HTTPS (http.tls: OpenSSL 3 on memory BIOs, TLS 1.2 minimum): curl with
# --cacert of a self-signed certificate this test generates with openssl
# gets the API; TLS 1.1 and plain HTTP are refused; a missing key file stops
# the start with a message naming it. Engine "none": no media needed.
import json
import os
import subprocess
import tempfile

from sytest import BINARY, CONFIG, Switchyard, check, done

d = tempfile.mkdtemp(prefix='sy-tls-')
cert, key = d + '/cert.pem', d + '/key.pem'
subprocess.run(['openssl', 'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256',
                '-nodes', '-keyout', key, '-out', cert, '-days', '2', '-subj', '/CN=127.0.0.1',
                '-addext', 'subjectAltName=IP:127.0.0.1'], check=True, capture_output=True)
cfg = json.loads(open(CONFIG).read())
cfg['engine'] = 'none'
cfg['http']['tls'] = {'cert': cert, 'key': key}
cfg['http']['token'] = 'sekrit-token'
path = d + '/cfg.json'
open(path, 'w').write(json.dumps(cfg))


def curl(*args):
    return subprocess.run(['curl', '-sS', '--max-time', '5'] + list(args), capture_output=True,
                          text=True)


sy = Switchyard(config=path, engine=None, scheme='https', cafile=cert)
try:
    base = 'https://127.0.0.1:%d' % sy.port
    p = curl('--cacert', cert, base + '/x-switchyard/v1/status')
    check(p.returncode == 0 and json.loads(p.stdout)['tls'] is True,
          'curl --cacert: status over HTTPS says tls true')
    p = curl('--cacert', cert, '-w', '%{ssl_verify_result} %{http_version}', '-o', '/dev/null',
             base + '/x-nmos/node/v1.3/self')
    check(p.returncode == 0 and p.stdout.startswith('0 '), 'certificate verified (%s)' % p.stdout)
    p = curl('--cacert', cert, base + '/x-nmos/node/v1.3/self')
    self_doc = json.loads(p.stdout)
    check(self_doc['api']['endpoints'][0]['protocol'] == 'https' and self_doc['href'].startswith('https://'),
          'IS-04 self advertises the https endpoint')
    p = curl('--cacert', cert, '--tlsv1.2', '--tls-max', '1.2', base + '/x-switchyard/v1/status')
    check(p.returncode == 0, 'TLS 1.2 accepted')
    p = curl('--cacert', cert, '--tlsv1.3', base + '/x-switchyard/v1/status')
    check(p.returncode == 0, 'TLS 1.3 accepted')
    p = curl('--cacert', cert, '--tlsv1.1', '--tls-max', '1.1', base + '/x-switchyard/v1/status')
    check(p.returncode != 0, 'TLS 1.1 refused (rc %d)' % p.returncode)
    p = curl(base + '/x-switchyard/v1/status')
    check(p.returncode == 60, 'an unknown certificate is not trusted without --cacert (rc %d)' % p.returncode)
    p = curl('http://127.0.0.1:%d/x-switchyard/v1/status' % sy.port)
    check(p.returncode != 0, 'plain HTTP on the TLS port gets no answer (rc %d)' % p.returncode)
    # writes: token over TLS, keep-alive with several requests on one connection
    p = curl('--cacert', cert, '-XPATCH', '-H', 'Content-Type: application/json',
             '-H', 'Authorization: Bearer sekrit-token', '-d', '{"label":"über TLS"}',
             '-w', '%{http_code}', '-o', '/dev/null', base + '/x-switchyard/v1/inputs/cam1',
             '--next', '--cacert', cert, '-w', ' %{http_code} %{num_connects}', '-o', '/dev/null',
             base + '/x-switchyard/v1/inputs/cam1')
    check(p.returncode == 0 and p.stdout == '200 200 0', 'PATCH with token, then GET on the same connection (%s)' % p.stdout)
    p = curl('--cacert', cert, '-XPATCH', '-H', 'Content-Type: application/json',
             '-d', '{"label":"x"}', '-w', '%{http_code}', '-o', '/dev/null',
             base + '/x-switchyard/v1/inputs/cam1')
    check(p.stdout == '401', 'write without token refused over TLS too')
    big = '{"label":"' + 'a' * 100 + '", "pad": "' + 'b' * 60000 + '"}'
    p = curl('--cacert', cert, '-XPATCH', '-H', 'Content-Type: application/json',
             '-H', 'Authorization: Bearer sekrit-token', '--data-binary', big, '-w', '%{http_code}',
             '-o', '/dev/null', base + '/x-switchyard/v1/inputs/cam1')
    check(p.stdout == '400', 'a 60 KB body spanning many TLS records is parsed (400: unknown key pad)')
    st, s, _, _ = sy.get('/x-switchyard/v1/status')
    check(st == 200 and s['tls'], 'Python ssl client with the CA file')
    st, _, text, _ = sy.get('/metrics')
    check(b'switchyard_http_tls_failures_total' in text, 'metrics count TLS failures')
finally:
    rc = sy.stop()
check(rc == 0, 'clean exit')

cfg['http']['tls'] = {'cert': cert, 'key': d + '/missing.pem'}
open(path, 'w').write(json.dumps(cfg))
p = subprocess.run([BINARY, '--config', path, '--listen', '127.0.0.1:0'], capture_output=True,
                   text=True, timeout=10)
check(p.returncode == 1 and 'missing.pem' in p.stderr, 'missing key refused: ' + p.stderr.strip())
done()
