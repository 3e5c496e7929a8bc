# SPDX-License-Identifier: MIT
# End to end, switchyard with the DPDK engine: a scheduled IS-05 receiver
# activation moves the input to another multicast group on exactly the
# frame at or after the requested TAI time, with no torn frame, on every
# output carrying the input (checked with sy-analyze on the output capture).
#
# Input capture: two PTP-locked sy-gen sources on the same 50 Hz grid,
# source id 1 on 239.1.1.1 (counting from 0), source id 2 on 239.1.2.1
# (counting from 1000), 150 frames from T0 = an explicit whole TAI second a
# minute ahead (TAI = CLOCK_REALTIME + 37 s here, stated explicitly: this
# machine's CLOCK_TAI equals CLOCK_REALTIME, so it is not used). The
# receiver of cam1 starts on 239.1.1.1, output pgm carries cam1.
#  1. refused PATCHes change nothing: bad params (400) and a group another
#     input receives (the engine refuses: 409);
#  2. activate_scheduled_absolute at T0 + 410 ms (not on the grid) to
#     239.1.2.1: frames 0..20 source 1, from frame 21 (T0 + 420 ms) source 2;
#     /active shows the group, requested_time and activation_time = frame 21;
#  3. activate_scheduled_relative back to 239.1.1.1, the duration chosen so
#     it falls ~T0 + 2.41 s: frames before the frame at or after the
#     activation_time it answered source 2, from it source 1.
import tempfile

from sytest import check, done, tai_str, tai_parse, is_nmos_error
import dptest

TAI_UTC_S = 37  # explicit: CLOCK_TAI == CLOCK_REALTIME on this machine
FRAME_NS = 20_000_000
NFRAMES = 150
wd = tempfile.mkdtemp(prefix='sy-dp-act-')
T0 = dptest.whole_second_after(60, TAI_UTC_S)
T0_NS = T0 * 10**9
dptest.sy_gen(['--out', wd + '/in.pcap', '--sdp', wd + '/in_%d.sdp', '--tai-start', str(T0),
               '--video', '320x180p50', '--source-id', '1', '--frames', str(NFRAMES),
               '--dst', '239.1.1.1:5004',
               '--video', '320x180p50', '--source-id', '2', '--frames', str(NFRAMES),
               '--frame-start', '1000', '--dst', '239.1.2.1:5004'])

leg = lambda ip: [{'destination': ip, 'port': 5004}]
cfg = {
    'engine': 'dataplane',
    'node': {'interface_ip': '10.99.0.9'},
    'time': {'tai_utc_offset_s': TAI_UTC_S},
    'dataplane': dptest.dataplane_section(wd, 'ctlact', wd + '/in.fifo', wd + '/out.pcap'),
    'inputs': [
        {'id': 'cam1', 'ptp_locked': True, 'video': {'format': '320x180p50', 'legs': leg('239.1.1.1')}},
        {'id': 'cam9', 'ptp_locked': True, 'video': {'format': '320x180p50', 'legs': leg('239.1.9.1')}},
    ],
    'outputs': [
        {'id': 'pgm', 'program': True, 'input': 'cam1',
         'video': {'format': '320x180p50', 'legs': leg('239.20.0.1')}},
    ],
}
dptest.write_config(wd + '/cfg.json', cfg)
feed = dptest.FifoFeed(wd + '/in.fifo', wd + '/in.pcap')
sy = dptest.start(wd + '/cfg.json', feed)
C = '/x-nmos/connection/v1.1/single/receivers/'
T_ABS = T0_NS + 410_000_000
F_ABS = 21
f_rel = None
try:
    st, rcvs, _, _ = sy.get(C)
    rid = None
    for r in rcvs:
        st, a, _, _ = sy.get(C + r + 'active')
        if a['transport_params'][0]['multicast_ip'] == '239.1.1.1':
            rid = r
    check(rid is not None, 'the receiver of cam1 is on 239.1.1.1')
    st, staged0, _, _ = sy.get(C + rid + 'staged')
    st, active0, _, _ = sy.get(C + rid + 'active')

    # 1. refused activations change nothing
    st, d, _, _ = sy.request('PATCH', C + rid + 'staged', body={
        'transport_params': [{'multicast_ip': '10.0.0.1'}],
        'activation': {'mode': 'activate_scheduled_absolute', 'requested_time': tai_str(T_ABS)}})
    check(st == 400 and is_nmos_error(400, d), 'bad params refused (400): %s' % (d or {}).get('debug'))
    st, d, _, _ = sy.request('PATCH', C + rid + 'staged', body={
        'transport_params': [{'multicast_ip': '239.1.9.1', 'destination_port': 5004}],
        'activation': {'mode': 'activate_scheduled_absolute', 'requested_time': tai_str(T_ABS)}})
    check(st == 409 and is_nmos_error(409, d),
          'a group another input receives: the engine refuses (409): %s' % (d or {}).get('debug'))
    st, s1, _, _ = sy.get(C + rid + 'staged')
    st, a1, _, _ = sy.get(C + rid + 'active')
    check(s1 == staged0 and a1 == active0, 'refused activations changed neither staged nor active')

    # the restored crosspoint lands on cam1's first frame: let it, as a live
    # studio would have (an activation armed while a take onto the input is
    # still under way is armed when that take lands)
    feed.feed_until(T0_NS + 100_000_000)
    check(dptest.wait_on_air(sy, 'pgm', 'cam1'), 'cam1 on air on pgm')

    # 2. scheduled absolute, not on a frame boundary
    st, d, _, _ = sy.request('PATCH', C + rid + 'staged', body={
        'transport_params': [{'multicast_ip': '239.1.2.1', 'destination_port': 5004}],
        'activation': {'mode': 'activate_scheduled_absolute', 'requested_time': tai_str(T_ABS)}})
    check(st == 202 and d['activation']['activation_time'] == tai_str(T_ABS),
          'scheduled_absolute accepted (202) for %s' % tai_str(T_ABS))
    feed.feed_until(T0_NS + 1_000_000_000)
    a = None
    for _ in range(300):
        st, a, _, _ = sy.get(C + rid + 'active')
        if a['transport_params'][0]['multicast_ip'] == '239.1.2.1':
            break
        dptest.time.sleep(0.02)
    check(a['transport_params'][0]['multicast_ip'] == '239.1.2.1', '/active shows 239.1.2.1')
    check(a['activation']['mode'] == 'activate_scheduled_absolute' and
          a['activation']['requested_time'] == tai_str(T_ABS) and
          a['activation']['activation_time'] == tai_str(T0_NS + F_ABS * FRAME_NS),
          '/active activation: requested %s, activated on frame %d (%s): %s' %
          (tai_str(T_ABS), F_ABS, tai_str(T0_NS + F_ABS * FRAME_NS), a['activation']))
    st, s2, _, _ = sy.get(C + rid + 'staged')
    check(s2['activation']['mode'] is None, 'staged activation cleared')

    # 3. scheduled relative back to 239.1.1.1, around T0 + 2.41 s
    rel = T0_NS + 2_410_000_000 - dptest.time.time_ns() - TAI_UTC_S * 10**9
    st, d, _, _ = sy.request('PATCH', C + rid + 'staged', body={
        'transport_params': [{'multicast_ip': '239.1.1.1', 'destination_port': 5004}],
        'activation': {'mode': 'activate_scheduled_relative', 'requested_time': tai_str(rel)}})
    check(st == 202, 'scheduled_relative accepted (202): %s' % d)
    t_rel = tai_parse(d['activation']['activation_time'])
    f_rel = -(-(t_rel - T0_NS) // FRAME_NS)
    check(60 < f_rel < NFRAMES - 10, 'relative activation time %s is inside the capture (frame %d)'
          % (tai_str(t_rel), f_rel))
    st, d, _, _ = sy.request('PATCH', C + rid + 'staged', body={'master_enable': True})
    check(st == 423, 'while it is pending other PATCHes get 423')
    feed.go()
    check(feed.wait(30), 'the whole capture was fed')
    for _ in range(300):
        st, a, _, _ = sy.get(C + rid + 'active')
        if a['transport_params'][0]['multicast_ip'] == '239.1.1.1':
            break
        dptest.time.sleep(0.02)
    check(a['transport_params'][0]['multicast_ip'] == '239.1.1.1' and
          a['activation']['mode'] == 'activate_scheduled_relative' and
          a['activation']['activation_time'] == tai_str(T0_NS + f_rel * FRAME_NS),
          '/active back on 239.1.1.1, activated on frame %d: %s' % (f_rel, a['activation']))
    st, o, _, _ = sy.get('/x-switchyard/v1/outputs/pgm')
    check(o['input'] == 'cam1' and o['pending'] is None, 'pgm still carries cam1, no take pending')
    st, ev, _, _ = sy.get('/x-switchyard/v1/events?since=0')
    check(not [e for e in ev if e['event'] in ('take_failed', 'activation_failed')],
          'no take_failed / activation_failed event')
    st, d, _, _ = sy.get(C + rid + 'staged')
    open(wd + '/out.sdp', 'w').write('')
    for sid in sy.get('/x-nmos/connection/v1.1/single/senders/')[1]:
        st2, _, raw, _ = sy.get('/x-nmos/connection/v1.1/single/senders/%stransportfile' % sid)
        if st2 == 200 and b'239.20.0.1' in raw:
            open(wd + '/out.sdp', 'wb').write(raw)
finally:
    rc = sy.stop()
    feed.abort()
check(rc == 0, 'clean exit on SIGTERM (%s)' % rc)

rep = dptest.analyze(wd + '/out.pcap', [wd + '/out.sdp'])
f = dptest.video_flow(rep, '239.20.0.1:5004')
check(f is not None, 'output flow found by sy-analyze')
if f and f_rel is not None:
    ts_t0 = (T0 * 90000) % (1 << 32)

    def expect(n):
        return (2, 1000 + n) if F_ABS <= n < f_rel else (1, n)

    seen, bad = [], []
    for fr in f['video']['frame_list']:
        n = ((fr['ts'] - ts_t0) % (1 << 32)) // 1800
        seen.append(n)
        if (fr['source_id'], fr['frame_counter']) != expect(n) or not fr['complete'] or fr['torn']:
            bad.append((n, fr['source_id'], fr['frame_counter'], fr['complete'], fr['torn']))
    check(not bad, 'frames < %d source 1, %d..%d source 2, then source 1 (bad: %s)'
          % (F_ABS, F_ABS, f_rel - 1, bad[:5]))
    check(seen == list(range(seen[0], NFRAMES)) and seen[0] <= 1,
          'output frames contiguous from %s to %d (%d frames)' % (seen[:1], NFRAMES - 1, len(seen)))
    sw = f['video']['stamps']['switches']
    check(f['video']['stamps']['torn'] == 0, 'no torn frame')
    check(len(sw) == 2, 'exactly one switch point per activation (%s)' % sw)
done()
