"""The toy assignment's words (key: (Korean, English))."""

MESSAGES: dict[str, tuple[str, str]] = {
    "toy.not_array": ("{what}가 넘파이 배열이 아닌 {kind}을(를) 돌려주었습니다.",
                      "{what} returned a {kind}, not a numpy array."),
    "toy.shape": ("{what}의 형상이 {actual}입니다. 입력과 같은 {expected}여야 합니다.",
                  "{what} has shape {actual}; it must be the input's, {expected}."),
    "toy.values": ("{what}의 값이 정의와 다릅니다.", "{what} differs from the definition."),
    "toy.backward": ("backward(dout)이 수치 미분과 다른 기울기를 줍니다.",
                     "backward(dout) gives another gradient than the numerical derivative."),
}
