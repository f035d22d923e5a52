import { describe, expect, it } from 'vitest';
import { shortProblemText } from './problemText';

describe('shortProblemText', () => {
  it.each([
    ['The Deployment "web" is invalid: spec.replicas: Invalid value: -1: must be greater than or equal to 0', 'spec.replicas: Invalid value: -1: must be greater than or equal to 0'],
    [
      'Error from server (BadRequest): error when creating "web.yaml": Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
      'json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32',
    ],
    ['Error from server (NotFound): error when creating "web.yaml": namespaces "nope" not found', 'namespaces "nope" not found'],
    ['error: error parsing web.yaml: error converting YAML to JSON: yaml: line 7: mapping values are not allowed in this context', 'yaml: line 7: mapping values are not allowed in this context'],
    ['error: resource mapping not found for name: "web" namespace: "" from "web.yaml": no matches for kind "Deployment" in version "apps/v2"\nensure CRDs are installed first', 'error: resource mapping not found for name: "web" namespace: "" from "web.yaml": no matches for kind "Deployment" in version "apps/v2"'],
  ])('%s', (message, short) => {
    expect(shortProblemText(message)).toBe(short);
  });
});
