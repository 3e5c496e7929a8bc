# SPDX-License-Identifier: MIT
# End to end with a receiver nobody here wrote: the SDP that IS-05 serves for
# an output (transportfile) lets FFmpeg decode the frames the dataplane sent.
#
# switchyard (engine dataplane) switches a sy-gen source (320x180p50 4:2:2
# 10-bit, PTP-locked) onto output pgm, written by net_pcap to out.pcap. The
# test creates a private network namespace with a veth pair, replays
# out.pcap onto one end with tcpreplay, and FFmpeg, inside the namespace,
# receives the other end with the served SDP (-c:v copy -f framemd5). Every
# frame FFmpeg prints must be a frame of the output, in order, with the MD5
# sy-analyze computes for it from the capture. Nothing leaves the namespace.
import os
import signal
import subprocess
import tempfile
import time

from sytest import check, done
import dptest

if os.geteuid() != 0:
    print('1..0 # SKIP network namespaces need root')
    raise SystemExit(77)

wd = tempfile.mkdtemp(prefix='sy-dp-ff-')
os.chmod(wd, 0o755)
T0 = dptest.whole_second_after(60)
dptest.sy_gen(['--out', wd + '/in.pcap', '--tai-start', str(T0), '--video', '320x180p50',
               '--source-id', '7', '--frames', '40', '--dst', '239.1.1.1:5004'])
cfg = {
    'engine': 'dataplane',
    'node': {'interface_ip': '10.98.0.1'},
    'dataplane': dptest.dataplane_section(wd, 'ctlff', wd + '/in.fifo', wd + '/out.pcap'),
    'inputs': [{'id': 'cam1', 'ptp_locked': True,
                'video': {'format': '320x180p50',
                          'legs': [{'destination': '239.1.1.1', 'port': 5004}]}}],
    'outputs': [{'id': 'pgm', 'input': 'cam1',
                 'video': {'format': '320x180p50',
                           'legs': [{'destination': '239.20.0.1', 'port': 5004}]}}],
}
dptest.write_config(wd + '/cfg.json', cfg)
feed = dptest.FifoFeed(wd + '/in.fifo', wd + '/in.pcap')
sy = dptest.start(wd + '/cfg.json', feed)
try:
    st, snds, _, _ = sy.get('/x-nmos/connection/v1.1/single/senders/')
    st, _, raw, r = sy.get('/x-nmos/connection/v1.1/single/senders/%stransportfile' % snds[0])
    sdp = raw.decode()
    check(st == 200 and r.getheader('Content-Type', '').startswith('application/sdp') and
          'c=IN IP4 239.20.0.1' in sdp, 'IS-05 transportfile served (application/sdp)')
    open(wd + '/out.sdp', 'w').write(sdp)
    feed.go()
    check(feed.wait(30), 'capture fed')
    n = dptest.wait_counter(sy, 'cam1', 7200)
    check(n == 7200, 'every input packet counted (%d)' % n)
finally:
    rc = sy.stop()
    feed.abort()
check(rc == 0, 'clean exit')

rep = dptest.analyze(wd + '/out.pcap', [wd + '/out.sdp'])
f = dptest.video_flow(rep, '239.20.0.1:5004')
frames = f['video']['frame_list'] if f else []
want = [fr['md5'] for fr in frames if fr['complete']]
check(len(want) >= 38 and all(fr['source_id'] == 7 for fr in frames),
      'sy-analyze: %d complete frames of source 7 in the output' % len(want))

ns = 'sy-ctl-ff%d' % os.getpid()


def sh(*cmd, check_rc=True):
    return subprocess.run(list(cmd), check=check_rc, capture_output=True, text=True)


def nsx(*cmd, **kw):
    return sh('ip', 'netns', 'exec', ns, *cmd, **kw)


ff = None
try:
    sh('ip', 'netns', 'add', ns)
    nsx('ip', 'link', 'add', 'tx0', 'type', 'veth', 'peer', 'name', 'rx0')
    for ifc in ('lo', 'tx0', 'rx0'):
        nsx('ip', 'link', 'set', ifc, 'up')
    nsx('ip', 'addr', 'add', '10.98.0.2/24', 'dev', 'rx0')
    nsx('ip', 'route', 'add', '239.0.0.0/8', 'dev', 'rx0')
    for k in ('all', 'default', 'rx0'):
        nsx('sysctl', '-q', '-w', 'net.ipv4.conf.%s.rp_filter=0' % k)
    ff = subprocess.Popen(['ip', 'netns', 'exec', ns, 'ffmpeg', '-nostdin', '-hide_banner',
                           '-loglevel', 'error', '-protocol_whitelist', 'file,udp,rtp',
                           '-buffer_size', '134217728', '-i', wd + '/out.sdp', '-c:v', 'copy',
                           '-f', 'framemd5', '-y', wd + '/ff.md5'],
                          stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    time.sleep(1.5)  # FFmpeg opens its socket and joins the group
    p = nsx('tcpreplay', '-q', '-i', 'tx0', wd + '/out.pcap', check_rc=False)
    check(p.returncode == 0, 'tcpreplay into the namespace: %s' % p.stderr.strip()[-200:])
    time.sleep(1.0)
    ff.send_signal(signal.SIGINT)
    try:
        ff.wait(10)
    except subprocess.TimeoutExpired:
        ff.kill()
        ff.wait()
finally:
    if ff and ff.poll() is None:
        ff.kill()
    sh('ip', 'netns', 'del', ns, check_rc=False)

got = []
if os.path.exists(wd + '/ff.md5'):
    for line in open(wd + '/ff.md5'):
        if line.startswith('#') or not line.strip():
            continue
        got.append(line.strip().split(',')[-1].strip())
err = ff.stderr.read() if ff and ff.stderr else ''
check(len(got) >= len(want) - 3, 'FFmpeg decoded %d of %d frames (%s)' % (len(got), len(want),
                                                                        err.strip()[-200:]))
pos = want.index(got[0]) if got and got[0] in want else -1
check(pos >= 0 and want[pos:pos + len(got)] == got,
      "FFmpeg's framemd5 equals sy-analyze's per-frame MD5, frame by frame, in order")
done()
