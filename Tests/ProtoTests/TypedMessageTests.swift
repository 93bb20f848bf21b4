import IRGProto
import Testing

/// The generated types (Shared/Proto/Generated): proto3 defaults, presence of
/// submessages, oneofs, maps, enums that keep unknown values, wire round trips.
@Suite struct TypedMessageTests {
    @Test func defaultsAndSubmessagePresence() throws {
        var motion = Irg_V1_Motion()
        #expect(!motion.hasFeatures && motion.features == Irg_V1_Tensor() && motion.fps == 0 && motion.skeleton == .humanml3D)
        motion.features.shape = [2, 263]  // writing through the getter sets the submessage
        #expect(motion.hasFeatures)
        let back = try Irg_V1_Motion(serializedBytes: try motion.serializedBytes())
        #expect(back == motion && back.hasFeatures && !back.hasJoints)
        motion.clearFeatures()
        #expect(!motion.hasFeatures)
        #expect(try Irg_V1_Motion().serializedBytes().isEmpty)
    }

    @Test func anEmptySubmessageIsStillPresent() throws {
        let result = Irg_V1_AssessBatchResult.with { $0.status = .init() }
        let back = try Irg_V1_AssessBatchResult(serializedBytes: try result.serializedBytes())
        #expect(back.hasStatus && !back.hasResult)
    }

    @Test func oneofHoldsOneMemberAndKeepsADefaultValue() throws {
        var request = Irg_V1_MotionAssessRequest()
        #expect(request.candidate == nil)
        request.motion.fps = 20
        request.codes.codes = [5, 511]  // replaces the motion
        #expect(request.candidate == .codes(.with { $0.codes = [5, 511] }))
        #expect(request.motion == Irg_V1_Motion())
        #expect(try Irg_V1_MotionAssessRequest(serializedBytes: try request.serializedBytes()) == request)

        let job = Irg_V1_StartJobRequest.with { $0.generatorAddress = "" }  // set, though empty
        let back = try Irg_V1_StartJobRequest(serializedBytes: try job.serializedBytes())
        #expect(back.source == .generatorAddress(""))
    }

    @Test func mapsRoundTripInKeyOrder() throws {
        let status = Irg_V1_Status.with {
            $0.code = .invalidArgument
            $0.details = ["why": "wrong rank", "field": "motion.shape"]
        }
        let bytes = try status.serializedBytes()
        #expect(try Irg_V1_Status(serializedBytes: bytes) == status)
        let field = Array("field".utf8), why = Array("why".utf8)
        let firstKey = bytes.firstRange(of: field)!.lowerBound, secondKey = bytes.firstRange(of: why)!.lowerBound
        #expect(firstKey < secondKey, "entries are written sorted by key, so the bytes are deterministic")
    }

    @Test func enumsKeepValuesThisBuildDoesNotName() throws {
        let future = Irg_V1_Tensor.with { $0.dtype = .UNRECOGNIZED(7) }
        let back = try Irg_V1_Tensor(serializedBytes: try future.serializedBytes())
        #expect(back.dtype == .UNRECOGNIZED(7) && back.dtype.rawValue == 7)
        let unspecified: Irg_V1_JobState = .init(rawValue: 0)
        #expect(unspecified == Irg_V1_JobState.unspecified && Irg_V1_JobState.knownCases.count == 5)
        #expect(Irg_V1_JobState.failed.protoName == "FAILED" && Irg_V1_Tensor.with { $0.dtype = .UNRECOGNIZED(7) }.dtype.protoName == "7")
        #expect(Irg_V1_Code.internal.rawValue == 13 && Irg_V1_HealthCheckResponse.ServingStatus(rawValue: 2) == .notServing)
    }

    @Test func sixtyFourBitAndUnsignedExtremes() throws {
        let envelope = Irg_V1_Envelope.with {
            $0.requestID = .max
            $0.deadlineUnixMs = .min
            $0.payload = [0, 255]
        }
        #expect(try Irg_V1_Envelope(serializedBytes: try envelope.serializedBytes()) == envelope)
    }

    @Test func jsonIsProto3JSON() throws {
        let request = Irg_V1_GenerateRequest.with {
            $0.text = "walk"
            $0.options.sampling.seed = 1 << 40
            $0.options.format = .motionAgent
        }
        let json = request.jsonString(pretty: false)
        #expect(json.contains("\"seed\":\"1099511627776\"") && json.contains("\"format\":\"MOTION_AGENT\""))
        #expect(try Irg_V1_GenerateRequest(jsonString: json) == request)
    }

    @Test func bytesThatAreNotTheMessageThrow() {
        #expect(throws: ProtoError.malformed(type: "irg.v1.Envelope")) {
            try Irg_V1_Envelope(serializedBytes: [0xff, 0xff, 0xff, 0xff, 0xff])
        }
    }

    /// protobuf-c (our codec) omits a proto3 double that compares equal to 0,
    /// so -0.0 from a peer that sends it (Python, C++) comes back as absent:
    /// the one known way our bytes differ from theirs; the value is still 0.
    @Test func negativeZeroIsSentAsAbsent() throws {
        let python: [UInt8] = [0x19, 0, 0, 0, 0, 0, 0, 0, 0x80]  // QualityMetrics(foot_sliding=-0.0)
        let decoded = try Irg_V1_QualityMetrics(serializedBytes: python)
        #expect(decoded.footSliding == 0)
        #expect(try decoded.serializedBytes().isEmpty)
    }

    @Test func everyMethodsTypesMatchTheRegistry() {
        #expect(Irg_V1_MotionGenerator.generate.descriptor.input == Irg_V1_GenerateRequest.protoDescriptor)
        #expect(Irg_V1_MotionGenerator.generate.descriptor.output == Irg_V1_GenerateResponse.protoDescriptor)
        #expect(Irg_V1_Admin.echo.descriptor.idempotent && !Irg_V1_MotionOrchestrator.generate.descriptor.idempotent)
        #expect(ProtoMessageTypes.methods.count == ProtoRegistry.methods.count)
        for (name, types) in ProtoMessageTypes.methods {
            #expect(ProtoRegistry.method(named: name)?.input == types.request.protoDescriptor, "\(name)")
            #expect(ProtoRegistry.method(named: name)?.output == types.response.protoDescriptor, "\(name)")
        }
        for (name, type) in ProtoMessageTypes.all {
            #expect(type.protoDescriptor.name == name)
        }
        #expect(ProtoMessageTypes.all.count == ProtoRegistry.messages.count)
    }
}
