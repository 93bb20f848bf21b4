import Foundation
import GRDB
import IRGProto

/// The orchestrator's sessions in one SQLite file (GRDB, WAL): a session row,
/// and one row per turn holding the `Turn` message as protobuf bytes, written
/// again as each round finishes, so a reader sees the loop's progress and a
/// crash loses at most the round in flight.
///
/// Decisions: GRDB over the system SQLite (both are here; GRDB gives WAL,
/// a writer queue and typed rows for little code); turns as protobuf bytes, so
/// the stored trace is exactly what GetSession returns and new fields need no
/// migration; the idempotency key is unique per turn.
public final class SessionStore: Sendable {
    let database: DatabasePool

    public init(path: String) throws {
        try FileManager.default.createDirectory(at: URL(fileURLWithPath: path).deletingLastPathComponent(),
                                                withIntermediateDirectories: true)
        database = try DatabasePool(path: path)  // WAL is DatabasePool's journal mode
        try migrator.migrate(database)
    }

    private var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in
            try db.create(table: "session") { t in
                t.column("id", .text).primaryKey()
                t.column("created_ms", .integer).notNull()
                t.column("updated_ms", .integer).notNull()
                t.column("first_message", .text).notNull()
            }
            try db.create(index: "session_by_time", on: "session", columns: ["created_ms", "id"])
            try db.create(table: "turn") { t in
                t.column("session_id", .text).notNull().references("session", onDelete: .cascade)
                t.column("idx", .integer).notNull()
                t.column("state", .text).notNull()
                t.column("idempotency_key", .text).unique()
                t.column("message", .blob).notNull()
                t.primaryKey(["session_id", "idx"])
            }
        }
        return migrator
    }

    static func now() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }

    /// A new session whose first turn is `turn` (its state "running").
    public func create(_ turn: Irg_V1_Turn) throws -> String {
        let id = Self.newID()
        var turn = turn
        turn.index = 0
        turn.createdUnixMs = Self.now()
        let stored = turn
        try database.write { db in
            try db.execute(sql: "INSERT INTO session (id, created_ms, updated_ms, first_message) VALUES (?, ?, ?, ?)",
                           arguments: [id, stored.createdUnixMs, stored.createdUnixMs, stored.userMessage])
            try Self.insert(stored, session: id, db)
        }
        return id
    }

    /// Appends `turn` to a session as its next turn (its state "running"); nil when there is no such session.
    public func append(_ turn: Irg_V1_Turn, session: String) throws -> Irg_V1_Turn? {
        try database.write { db in
            guard try Bool.fetchOne(db, sql: "SELECT 1 FROM session WHERE id = ?", arguments: [session]) != nil else { return nil }
            var turn = turn
            turn.index = UInt32(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM turn WHERE session_id = ?", arguments: [session]) ?? 0)
            turn.createdUnixMs = Self.now()
            try Self.insert(turn, session: session, db)
            try db.execute(sql: "UPDATE session SET updated_ms = ? WHERE id = ?", arguments: [turn.createdUnixMs, session])
            return turn
        }
    }

    /// Writes a turn again (a round finished, or the loop ended).
    public func update(_ turn: Irg_V1_Turn, session: String) throws {
        try database.write { db in
            try db.execute(sql: "UPDATE turn SET state = ?, message = ? WHERE session_id = ? AND idx = ?",
                           arguments: [turn.state, try turn.serializedData(), session, turn.index])
            try db.execute(sql: "UPDATE session SET updated_ms = ? WHERE id = ?", arguments: [Self.now(), session])
        }
    }

    private static func insert(_ turn: Irg_V1_Turn, session: String, _ db: Database) throws {
        try db.execute(sql: "INSERT INTO turn (session_id, idx, state, idempotency_key, message) VALUES (?, ?, ?, ?, ?)",
                       arguments: [session, turn.index, turn.state, turn.idempotencyKey.isEmpty ? nil : turn.idempotencyKey,
                                   try turn.serializedData()])
    }

    /// The session and turn a key was used for, if any.
    public func turn(idempotencyKey key: String) throws -> (session: String, turn: Irg_V1_Turn)? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT session_id, message FROM turn WHERE idempotency_key = ?", arguments: [key])
            else { return nil }
            return (row["session_id"], try Irg_V1_Turn(serializedData: row["message"]))
        }
    }

    public func session(_ id: String) throws -> Irg_V1_Session? {
        try database.read { db in
            guard let row = try Row.fetchOne(db, sql: "SELECT created_ms, updated_ms FROM session WHERE id = ?", arguments: [id])
            else { return nil }
            let turns = try Data.fetchAll(db, sql: "SELECT message FROM turn WHERE session_id = ? ORDER BY idx", arguments: [id])
            return try .with {
                $0.sessionID = id
                $0.createdUnixMs = row["created_ms"]
                $0.updatedUnixMs = row["updated_ms"]
                $0.turns = try turns.map { try Irg_V1_Turn(serializedData: $0) }
            }
        }
    }

    /// Newest first; the page token is the offset of the next page.
    public func list(pageSize: Int, pageToken: String) throws -> Irg_V1_ListSessionsResponse {
        let offset = Int(pageToken) ?? 0
        return try database.read { db in
            let rows = try Row.fetchAll(db, sql: """
                SELECT s.id, s.created_ms, s.updated_ms, s.first_message, (SELECT COUNT(*) FROM turn t WHERE t.session_id = s.id) AS turns
                FROM session s ORDER BY s.created_ms DESC, s.id DESC LIMIT ? OFFSET ?
                """, arguments: [pageSize + 1, offset])
            return .with { reply in
                reply.sessions = rows.prefix(pageSize).map { row in
                    .with {
                        $0.sessionID = row["id"]
                        $0.createdUnixMs = row["created_ms"]
                        $0.updatedUnixMs = row["updated_ms"]
                        $0.firstMessage = row["first_message"]
                        $0.turns = UInt32(row["turns"] as Int64)
                    }
                }
                reply.nextPageToken = rows.count > pageSize ? String(offset + pageSize) : ""
            }
        }
    }

    /// At start: turns left "running" by a previous process are "interrupted".
    @discardableResult
    public func markInterrupted() throws -> Int {
        try database.write { db in
            let rows = try Row.fetchAll(db, sql: "SELECT session_id, message FROM turn WHERE state = 'running'")
            for row in rows {
                var turn = try Irg_V1_Turn(serializedData: row["message"])
                turn.state = "interrupted"
                try db.execute(sql: "UPDATE turn SET state = ?, message = ? WHERE session_id = ? AND idx = ?",
                               arguments: [turn.state, try turn.serializedData(), row["session_id"] as String, turn.index])
            }
            return rows.count
        }
    }

    static func newID() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<2).map { _ in String(format: "%016llx", generator.next() as UInt64) }.joined()
    }
}
