package io.sygra.llm;

/**
 * One tool call of an agent's trajectory, as {@link AgentNode} records it in state. Read the list
 * back with {@code Key.listOf("trajectory", AgentStep.class)}.
 *
 * @param iteration the 1-based model call that requested the tool
 * @param tool the tool name as the model wrote it
 * @param callId the tool call's id
 * @param arguments the arguments: the parsed JSON object, or the raw text when it was not JSON
 * @param result what the model was shown: the tool's result, or the error message
 * @param error true when the call failed (unknown tool, invalid arguments, or the tool threw)
 */
public record AgentStep(
    int iteration, String tool, String callId, Object arguments, String result, boolean error) {}
