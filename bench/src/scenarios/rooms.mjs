/**
 * A set of editing rooms, shared by the scenarios: per room `writersPerRoom` real writers (one by
 * default) and `clientsPerRoom` thin receivers. Receivers report each marker to the room, which turns it into a latency (arrival time
 * minus the writer's send time, one clock) while `recording` is on, and keeps the longest gap between
 * two consecutive deliveries to any one receiver (a stall of the server shows up there).
 */
import { Writer, driveEdits, latenessWhileRecording } from '../writer.mjs';
import { ThinClient, connectAll } from '../thin.mjs';

export class Rooms {
  constructor(targets, clientsPerRoom, writersPerRoom = 1) {
    this.targets = targets;
    this.clientsPerRoom = clientsPerRoom;
    /** Per room, the send times of its edits, shared by its writers. */
    this.sentAt = targets.map(() => []);
    this.writers = targets.flatMap((t, room) => Array.from({ length: writersPerRoom }, () => new Writer(t, this.sentAt[room])));
    this.latencies = [];
    this.deliveries = 0;
    this.recording = false;
    this.maxGap = 0;
    /** How late each edit of the window was sent after its due time, ms (writer.mjs driveEdits). */
    this.writerLate = [];
    this.receivers = [];
    targets.forEach((t, room) => {
      const sentAt = this.sentAt[room];
      for (let i = 0; i < clientsPerRoom; i++) {
        let last = 0;
        const client = new ThinClient(t, {
          onMarker: (seq, now, isUpdate) => {
            if (!isUpdate || !this.recording) return;
            this.latencies.push(now - sentAt[seq]);
          },
          onMessage: (now) => {
            if (this.recording) {
              this.deliveries++;
              if (last) this.maxGap = Math.max(this.maxGap, now - last);
            }
            last = now;
          },
        });
        this.receivers.push(client);
      }
    });
  }

  async connect() {
    await Promise.all(this.writers.map((w) => w.connect()));
    const result = await connectAll(this.receivers);
    this.failed = result.failed;
    this.connectErrors = result.errors;
    return result;
  }

  startEditing(perSecond) {
    this.stopEditing = driveEdits(this.writers, perSecond, { onSent: latenessWhileRecording(this) });
  }

  /** Clears what was recorded and records from now on. */
  record() {
    this.latencies = [];
    this.deliveries = 0;
    this.maxGap = 0;
    this.writerLate = [];
    this.recording = true;
  }

  get editsSent() {
    return this.sentAt.reduce((n, s) => n + s.length, 0);
  }

  /** Ends the point: the server is stopped next, so the sockets are simply cut (no close handshakes to wait for). */
  close() {
    this.stopEditing?.();
    this.recording = false;
    for (const w of this.writers) w.close();
    for (const r of this.receivers) r.drop();
  }
}
