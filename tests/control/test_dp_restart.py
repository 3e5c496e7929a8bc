# SPDX-License-Identifier: MIT
# End to end, switchyard with the DPDK engine: a restart restores what the
# operators left, and the dataplane carries it from the first frame.
#
# Run 1: output pgm starts on cam1 (config); before the capture flows, its
# IS-05 sender is moved to 239.20.0.77 (activate_immediate) and a take to
# cam2 is scheduled at T0+300 ms; the output is locked by 'alice'. The run
# ends with SIGTERM (state written synchronously).
# Run 2 (same state file, a fresh capture of the same sources): the restored
# crosspoint (cam2) and sender destination are applied before the workers
# start, so every output frame is cam2 and leaves to 239.20.0.77; the lock
# still refuses a take (423).
import json
import os
import tempfile

from sytest import check, done, tai_str, is_nmos_error
import dptest

wd = tempfile.mkdtemp(prefix='sy-dp-restart-')
state = wd + '/state.json'
leg = lambda ip: [{'destination': ip, 'port': 5004}]


def gen(name, t0):
    dptest.sy_gen(['--out', '%s/%s.pcap' % (wd, name), '--tai-start', str(t0),
                   '--video', '320x180p50', '--source-id', '1', '--frames', '30',
                   '--dst', '239.1.1.1:5004',
                   '--video', '320x180p50', '--source-id', '2', '--frames', '30',
                   '--frame-start', '1000', '--dst', '239.1.2.1:5004'])


def config(run):
    cfg = {
        'engine': 'dataplane',
        'node': {'interface_ip': '10.99.0.9', 'seed': 'dp-restart'},
        'dataplane': dptest.dataplane_section(wd, 'ctlrst%d_' % run, '%s/in%d.fifo' % (wd, run),
                                              '%s/out%d.pcap' % (wd, run)),
        'inputs': [
            {'id': 'cam1', 'ptp_locked': True,
             'video': {'format': '320x180p50', 'legs': leg('239.1.1.1')}},
            {'id': 'cam2', 'ptp_locked': True,
             'video': {'format': '320x180p50', 'legs': leg('239.1.2.1')}},
        ],
        'outputs': [{'id': 'pgm', 'program': True, 'input': 'cam1',
                     'video': {'format': '320x180p50', 'legs': leg('239.20.0.1')}}],
    }
    path = '%s/cfg%d.json' % (wd, run)
    dptest.write_config(path, cfg)
    return path


def sources(capture, dst):
    rep = dptest.analyze(capture, [wd + '/out.sdp'])
    f = dptest.video_flow(rep, dst)
    return [] if f is None else [(fr['source_id'], fr['frame_counter'])
                                 for fr in f['video']['frame_list']]


# ---- run 1
T1 = dptest.whole_second_after(60)
gen('in1', T1)
feed = dptest.FifoFeed(wd + '/in1.fifo', wd + '/in1.pcap')
sy = dptest.start(config(1), feed, state=state)
try:
    st, snds, _, _ = sy.get('/x-nmos/connection/v1.1/single/senders/')
    sid = snds[0].rstrip('/')
    st, d, _, _ = sy.request('PATCH', '/x-nmos/connection/v1.1/single/senders/%s/staged' % sid,
                             body={'transport_params': [{'destination_ip': '239.20.0.77'}],
                                   'activation': {'mode': 'activate_immediate'}})
    check(st == 200, 'IS-05: sender moved to 239.20.0.77 (%d)' % st)
    st, _, raw, _ = sy.get('/x-nmos/connection/v1.1/single/senders/%s/transportfile' % sid)
    sdp = raw.decode()
    check(st == 200 and '239.20.0.77' in sdp, 'transport file follows the activation')
    open(wd + '/out.sdp', 'w').write(sdp)
    st, d, _, _ = sy.request('POST', '/x-switchyard/v1/outputs/pgm/take',
                             body={'input': 'cam2', 'at': tai_str(T1 * 10**9 + 300_000_000)})
    check(st == 202, 'take cam2 at T0+300 ms accepted')
    feed.go()
    check(feed.wait(30), 'capture 1 fed')
    dptest.wait_counter(sy, 'cam2', 5400)
    check(dptest.wait_on_air(sy, 'pgm', 'cam2'), 'run 1: cam2 on air after the take')
    st, d, _, _ = sy.request('PUT', '/x-switchyard/v1/outputs/pgm/lock', body={'kind': 'lock'},
                             headers={'X-Switchyard-Client': 'alice'})
    check(st == 200, 'locked by alice')
finally:
    rc = sy.stop()
    feed.abort()
check(rc == 0, 'run 1: clean exit on SIGTERM')
st1 = json.load(open(state))
check('cam2' in json.dumps(st1), 'state file records cam2')
s1 = sources(wd + '/out1.pcap', '239.20.0.77:5004')
check(len(s1) >= 28 and s1[0][0] == 1 and s1[-1][0] == 2 and (2, 1015) in s1 and (1, 14) in s1,
      'run 1 output: cam1 up to frame 14, cam2 from frame 15 (%d frames)' % len(s1))

# ---- run 2: restored before the first packet
T2 = dptest.whole_second_after(60)
gen('in2', T2)
feed = dptest.FifoFeed(wd + '/in2.fifo', wd + '/in2.pcap')
sy = dptest.start(config(2), feed, state=state)
try:
    st, o, _, _ = sy.get('/x-switchyard/v1/outputs/pgm')
    check(o['requested_input'] == 'cam2' and o['lock']['kind'] == 'lock' and
          o['lock']['owner'] == 'alice', 'run 2: crosspoint and lock restored')
    st, d, _, _ = sy.request('POST', '/x-switchyard/v1/outputs/pgm/take', body={'input': 'cam1'})
    check(st == 423 and is_nmos_error(423, d), 'run 2: the lock still refuses a take')
    st, snds, _, _ = sy.get('/x-nmos/connection/v1.1/single/senders/')
    st, act, _, _ = sy.get('/x-nmos/connection/v1.1/single/senders/%sactive' % snds[0])
    check(act['transport_params'][0]['destination_ip'] == '239.20.0.77',
          'run 2: sender connection restored')
    feed.go()
    check(feed.wait(30), 'capture 2 fed')
    dptest.wait_counter(sy, 'cam2', 5400)
    check(dptest.wait_on_air(sy, 'pgm', 'cam2'), 'run 2: cam2 on air (reported by the dataplane)')
    st, ev, _, _ = sy.get('/x-switchyard/v1/events?since=0')
    check(any(e['event'] == 'take_done' and e['input'] == 'cam2' for e in ev),
          'run 2: take_done for the restored crosspoint')
finally:
    rc = sy.stop()
    feed.abort()
check(rc == 0, 'run 2: clean exit')
s2 = sources(wd + '/out2.pcap', '239.20.0.77:5004')
check(len(s2) >= 28 and all(s == 2 for s, _ in s2),
      'run 2 output: every frame is cam2, sent to the restored destination (%d frames)' % len(s2))
check(not sources(wd + '/out2.pcap', '239.20.0.1:5004'), 'run 2: nothing to the old destination')
done()
